#!/bin/sh
# Builds and runs the package consumer (main.cpp) without CMake, the two
# ways the README shows: with pkg-config, and with the plain compiler line.
# Usage: plain_build.sh <install prefix> <libdir below it> <c++> <out dir>
set -eu
prefix=$1 libdir=$2 cxx=$3 out=$4
src=$(dirname "$0")/main.cpp
mkdir -p "$out"

PKG_CONFIG_PATH="$prefix/$libdir/pkgconfig"
export PKG_CONFIG_PATH
# shellcheck disable=SC2046
"$cxx" -std=c++17 "$src" -o "$out/consumer-pkg-config" \
  $(pkg-config --cflags --libs actorpool)
"$out/consumer-pkg-config"

"$cxx" -std=c++17 -pthread "$src" -o "$out/consumer-plain" \
  -I"$prefix/include" -L"$prefix/$libdir" \
  -Wl,--wrap=main -Wl,-u,main -lactorpool_entry -lactorpool -lcrypto -lcaf_io -lcaf_core
"$out/consumer-plain"
