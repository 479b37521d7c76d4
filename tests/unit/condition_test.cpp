// Placeholder: filled in by the primitives work (issue 4).
