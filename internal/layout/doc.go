// Package layout holds no code; its test enforces the import direction of
// the project (DESIGN.md §5): reaper and image import nothing else of tinit,
// services and pid1 only what they own, and each third-party module stays in
// the package that owns it.
package layout
