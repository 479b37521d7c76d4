#pragma once

// The limits of this machine that the library's figures are held against,
// measured by the bench itself in the same run (so that ratios compare
// across noisy machines): a round trip of a small message between two
// processes over a Unix socketpair, and a 1 MiB transfer the same way.

#include <string>
#include <vector>

#include "report.hpp"
#include "workloads.hpp"

namespace bench {

/// `raw_roundtrip` (latency_us: one 64-byte message there and back between
/// this process and a forked child) and `raw_1mib` (tasks_per_s: 1 MiB
/// written to the child, which answers with 8 bytes once it has read it
/// all), both with impl `raw`.
const std::vector<workload>& raw_workloads();

/// Lines `workload=W ratio_to_raw_roundtrip=R` for every figure with a
/// latency (R: its latency over the raw round trip; 1 is the limit) and
/// `workload=payload_1mib ratio_to_raw_1mib=R` (R: its rate over the raw
/// transfer rate); none without the raw figures in `figures`.
std::vector<std::string> raw_ratio_lines(const std::vector<figure>& figures);

} // namespace bench
