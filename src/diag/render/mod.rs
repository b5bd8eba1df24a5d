//! Renderers: human (ariadne, like rustc) and JSON (the versioned contract in DESIGN.md).
