"""Disclosure control for public outputs.

structure finds the additive sets of a published table. complementary applies
the complementary-suppression rules, and the dbt Python model imports it.
model, audit and report check a built public table the way an attacker would
read it, with linear programs over the published values.
"""
