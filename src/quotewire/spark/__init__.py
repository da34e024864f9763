"""The corpus pipeline as a Spark job, for corpora one machine cannot keep up with; see
`quotewire.spark.job` and docs/spark.md. Importing this package does not import pyspark."""

# The job's defaults, here so that the command's --help can name them without importing
# the job (and through it the extractor) when the CLI starts.

# Up to this many quotes, people and statements run on the driver (`corpus_steps="auto"`):
# there Spark's stages cost more than the work. On PolNeAR (20,000 quotes) the driver takes
# about 7 s for both, the executors about 20 s; grouping grows linearly, to 14 s at
# 100,000 quotes (benchmarks/statements.py), where the executors begin to pay.
DRIVER_STEPS_QUOTES = 100_000
# Extraction tasks per core by default: small tasks, so that the last wave leaves cores idle
# for a short time only (an article takes a fraction of a second; a Python worker and its
# models are reused across tasks).
TASKS_PER_CORE = 16
# Where people across articles and statements may run (`--corpus-steps`).
CORPUS_STEPS = ("auto", "driver", "executors")
