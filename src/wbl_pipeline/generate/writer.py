"""Write raw collections as CSV or Parquet, one file per collection, in chunks.

Large runs produce a collection one school year at a time, so the writer
appends chunks instead of holding a whole collection in memory. Every column
is written as text, the way the raw input contract reads it.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from wbl_pipeline.generate.records import COLUMNS_BY_COLLECTION

logger = logging.getLogger(__name__)


class CollectionWriter:
    """Append text chunks to `<prefix><collection>.<format>` files in one directory."""

    def __init__(self, output_dir: Path, file_format: str, prefix: str = "") -> None:
        self.output_dir = output_dir
        self.file_format = file_format
        self.prefix = prefix
        self.row_counts: dict[str, int] = {}
        self._parquet_writers: dict[str, pq.ParquetWriter] = {}
        output_dir.mkdir(parents=True, exist_ok=True)

    def path(self, collection: str) -> Path:
        """Return the file path of a collection."""
        return self.output_dir / f"{self.prefix}{collection}.{self.file_format}"

    def write(self, collection: str, frame: pd.DataFrame) -> None:
        """Append one chunk; the first chunk of a collection replaces any existing file."""
        columns = list(COLUMNS_BY_COLLECTION[collection])
        frame = frame[columns].astype(str)
        first = collection not in self.row_counts
        if self.file_format == "csv":
            with self.path(collection).open("wb" if first else "ab") as handle:
                handle.write(_csv_bytes(frame, header=first))
        else:
            schema = pa.schema([(name, pa.string()) for name in columns])
            table = pa.Table.from_pandas(frame, preserve_index=False, schema=schema)
            if first:
                self._parquet_writers[collection] = pq.ParquetWriter(self.path(collection),
                                                                     schema)
            self._parquet_writers[collection].write_table(table)
        self.row_counts[collection] = self.row_counts.get(collection, 0) + len(frame)

    def close(self) -> None:
        """Finish Parquet files and log the row count of every collection."""
        for writer in self._parquet_writers.values():
            writer.close()
        self._parquet_writers.clear()
        for collection, count in sorted(self.row_counts.items()):
            logger.info("wrote %d rows to %s", count, self.path(collection))


def _csv_bytes(frame: pd.DataFrame, header: bool) -> bytes:
    """Render a text frame as CSV that quotes only values that need quotes.

    pyarrow writes unquoted CSV fast but rejects values with commas, quotes
    or line breaks; such chunks go through pandas, which quotes them.
    """
    table = pa.Table.from_pandas(frame, preserve_index=False)
    buffer = io.BytesIO()
    if header:
        # pyarrow quotes header names even with quoting_style "none".
        buffer.write((",".join(frame.columns) + "\n").encode("utf-8"))
    try:
        pa_csv.write_csv(table, buffer, write_options=pa_csv.WriteOptions(
            include_header=False, quoting_style="none"))
        return buffer.getvalue()
    except pa.ArrowInvalid:
        return frame.to_csv(index=False, header=header, lineterminator="\n").encode("utf-8")
