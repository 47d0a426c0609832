"""Publishing the report: the record of releases and the release procedure's edits (:mod:`.releases`), the
comparison of the data between versions (:mod:`.datadiff`).

A subpackage on purpose: these modules shape releases and the book's front and back matter, not any notebook's
output, so they are not among the helper files whose hash marks the committed notebooks as current.
"""
