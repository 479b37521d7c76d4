#pragma once

namespace actorpool::detail {

/// In a process started as a worker that never served (the program ran
/// `main` without the entry object and without `serve_if_worker`): prints
/// why and how to fix the build, tells the parent over the inherited socket
/// (a refusal, which the parent's pool reports as its start error instead of
/// waiting for a hello), and exits with code 78 before anything starts
/// workers of its own. Does nothing in any other process. Called wherever
/// pools and processes start.
void stop_if_stray_worker();

} // namespace actorpool::detail
