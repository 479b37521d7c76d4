#pragma once

/// libactorpool's version as major * 10000 + minor * 100 + patch.
#define ACTORPOOL_VERSION 100

namespace actorpool {

constexpr int version_major = ACTORPOOL_VERSION / 10000;
constexpr int version_minor = ACTORPOOL_VERSION / 100 % 100;
constexpr int version_patch = ACTORPOOL_VERSION % 100;

} // namespace actorpool
