#pragma once

// Types that travel in messages between actors of one process only. CAF
// requires an explicit opt-in for types it cannot serialize.

#include <exception>
#include <functional>
#include <memory>

#include <caf/allowed_unsafe_message_type.hpp>

#include "actorpool/detail/job.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(actorpool::detail::job_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(actorpool::detail::stream_job_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::exception_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::function<void()>)
