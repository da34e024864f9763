"""`python -m quotewire.spark INPUT... --out DIR`, and the file spark-submit runs:

spark-submit --master yarn ... "$(python -m quotewire.spark --entry-point)" INPUT... --out DIR
"""

import sys

from quotewire.spark.command import main

if __name__ == "__main__":
    sys.exit(main())
