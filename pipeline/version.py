"""The pipeline's version, apart from the pipeline: the store, the server and ``prune`` compare records
with it without importing spaCy and underthesea (over a second of start-up)."""

# Bump when extraction changes, so stored records made by an older pipeline can be found and redone; say
# what changed in CHANGES.md.
PIPELINE_VERSION = "0.6.0"
