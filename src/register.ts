// Side-effect imports that wire modules into shared mechanisms (event subscribers, background jobs).
// Kept in one place so the app, the CLI and the tests see the same wiring.
export {}
