"""Meeting materials: files and links on a meeting, their versions, storage and text."""
