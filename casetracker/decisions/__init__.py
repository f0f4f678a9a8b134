"""The prosecutor's part: the queue of motions waiting for a decision, and the decisions."""
