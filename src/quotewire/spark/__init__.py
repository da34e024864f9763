"""The corpus pipeline as a Spark job, for corpora one machine cannot keep up with; see
`quotewire.spark.job` and docs/spark.md. Importing this package does not import pyspark."""

# The job's defaults, here so that the command's --help can name them without importing
# the job (and through it the extractor) when the CLI starts.

# Up to this many quotes, people and statements run on the driver (`corpus_steps="auto"`):
# there Spark's stages cost more than the work. On 2 cores the driver took about 7 s for
# both on PolNeAR (20,000 quotes), the executors 20 s; at 99,755 quotes 15 s against 25 s
# (benchmarks/spark.py --copies 5). Past this the driver's memory, not its speed, is the
# limit (200,000 quotes: 649 MB in benchmarks/statements.py), and executors scale out.
DRIVER_STEPS_QUOTES = 100_000
# Extraction tasks per core by default: small tasks, so that the last wave leaves cores idle
# for a short time only (an article takes a fraction of a second; a Python worker and its
# models are reused across tasks).
TASKS_PER_CORE = 16
# Where people across articles and statements may run (`--corpus-steps`).
CORPUS_STEPS = ("auto", "driver", "executors")
