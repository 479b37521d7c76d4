#pragma once

#include <cstdint>

namespace actorpool::detail {

/// What a pool's workers are: processes (`pool`) or threads of this process
/// (`thread_pool`).
enum class worker_kind : uint8_t { processes, threads };

} // namespace actorpool::detail
