#pragma once

// What the README's programs that show no includes of their own need: the
// library, CAF, and the tasks of context.hpp.

#include "context.hpp"

using namespace readme;
