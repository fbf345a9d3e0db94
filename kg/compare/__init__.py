"""Local against national documents: task alignment, text reuse, the comparison report and the
comparison graphs in the store."""
