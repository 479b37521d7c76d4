#pragma once

#include <caf/atom.hpp>

namespace actorpool::detail {

// Messages between the library's internal actors (never on the wire).
using hello_atom = caf::atom_constant<caf::atom("hello")>;
using tasks_atom = caf::atom_constant<caf::atom("tasks")>;
using results_atom = caf::atom_constant<caf::atom("results")>;
using init_atom = caf::atom_constant<caf::atom("init")>;
using shutdown_atom = caf::atom_constant<caf::atom("shutdown")>;
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;
using down_atom = caf::atom_constant<caf::atom("wdown")>;
using bye_atom = caf::atom_constant<caf::atom("bye")>;
using timer_atom = caf::atom_constant<caf::atom("timer")>;
using submit_atom = caf::atom_constant<caf::atom("submit")>;
using stream_atom = caf::atom_constant<caf::atom("stream")>;
using pull_atom = caf::atom_constant<caf::atom("pull")>;
using input_atom = caf::atom_constant<caf::atom("input")>;
using credit_atom = caf::atom_constant<caf::atom("credit")>;
using ready_atom = caf::atom_constant<caf::atom("ready")>;
using run_atom = caf::atom_constant<caf::atom("run")>;
using read_atom = caf::atom_constant<caf::atom("read")>;
using service_atom = caf::atom_constant<caf::atom("service")>;
using client_down_atom = caf::atom_constant<caf::atom("clientdown")>;
using target_atom = caf::atom_constant<caf::atom("target")>;
using start_atom = caf::atom_constant<caf::atom("start")>;
using revoke_atom = caf::atom_constant<caf::atom("revoke")>;
using child_timer_atom = caf::atom_constant<caf::atom("childtimer")>;

} // namespace actorpool::detail
