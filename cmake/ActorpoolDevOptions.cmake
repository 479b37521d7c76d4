# Developer options: warnings and sanitizers, carried by one INTERFACE target
# (actorpool_dev_flags) that every target of this project links PRIVATE-ly.

set(ACTORPOOL_SANITIZERS "" CACHE STRING
    "Sanitizers to build with: '' (none), 'address,undefined' or 'thread'")
option(ACTORPOOL_WARNINGS_AS_ERRORS "Treat compiler warnings as errors" OFF)
option(ACTORPOOL_FUZZ
       "Build the libFuzzer targets of tests/fuzz (needs clang)" OFF)

add_library(actorpool_dev_flags INTERFACE)
target_compile_options(actorpool_dev_flags INTERFACE -Wall -Wextra)
if(ACTORPOOL_WARNINGS_AS_ERRORS)
  target_compile_options(actorpool_dev_flags INTERFACE -Werror)
endif()

if(ACTORPOOL_SANITIZERS)
  if(NOT ACTORPOOL_SANITIZERS MATCHES "^(address,undefined|undefined,address|address|undefined|thread)$")
    message(FATAL_ERROR "ACTORPOOL_SANITIZERS: unsupported value '${ACTORPOOL_SANITIZERS}'")
  endif()
  # Sanitizers must see every translation unit and the link, so they are set
  # globally rather than on one target.
  add_compile_options(-fsanitize=${ACTORPOOL_SANITIZERS} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${ACTORPOOL_SANITIZERS})
  if(ACTORPOOL_SANITIZERS MATCHES "undefined")
    # Undefined behaviour is fatal, except that null checks stay
    # recoverable: UBSan can only suppress recoverable reports, and CAF
    # 0.17.6's own spawn code has one (see .ci/ubsan.supp). With
    # UBSAN_OPTIONS=halt_on_error=1 (.ci/sanitizer-options) an unsuppressed
    # null report is fatal too.
    add_compile_options(-fno-sanitize-recover=undefined
                        -fsanitize-recover=null)
  endif()
endif()
