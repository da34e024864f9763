"""The corpus pipeline as a Spark job, for corpora one machine cannot keep up with; see
`quotewire.spark.job` and docs/spark.md. Importing this package does not import pyspark."""
