"""What a person looks at: HTML reports, the annotated overlay video, plots."""
