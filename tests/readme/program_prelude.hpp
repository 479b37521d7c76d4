#pragma once

// What the README's programs that show no includes of their own need.

#include <actorpool/all.hpp>

#include <cstdio>
#include <string>
#include <vector>
