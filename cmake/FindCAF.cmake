# FindCAF.cmake -- locates the C++ Actor Framework 0.17.x as packaged by Debian
# (libcaf-dev), which ships no CMake package configuration.
#
# Components: core (always), io, openssl.
# Imported targets: CAF::core, CAF::io, CAF::openssl.
# Result variables: CAF_FOUND, CAF_VERSION, CAF_INCLUDE_DIR.
# Hints: CAF_ROOT_DIR (CMake or environment variable).

set(_caf_components ${CAF_FIND_COMPONENTS})
list(PREPEND _caf_components core)
list(REMOVE_DUPLICATES _caf_components)

find_path(CAF_INCLUDE_DIR NAMES caf/config.hpp
          HINTS ${CAF_ROOT_DIR}/include ENV CAF_ROOT_DIR)

# caf/config.hpp defines CAF_VERSION as major * 10000 + minor * 100 + patch.
if(CAF_INCLUDE_DIR AND EXISTS "${CAF_INCLUDE_DIR}/caf/config.hpp")
  file(STRINGS "${CAF_INCLUDE_DIR}/caf/config.hpp" _caf_version_line
       REGEX "^#define CAF_VERSION [0-9]+")
  string(REGEX REPLACE "^#define CAF_VERSION ([0-9]+).*" "\\1" _caf_version
         "${_caf_version_line}")
  if(_caf_version)
    math(EXPR _caf_major "${_caf_version} / 10000")
    math(EXPR _caf_minor "(${_caf_version} / 100) % 100")
    math(EXPR _caf_patch "${_caf_version} % 100")
    set(CAF_VERSION "${_caf_major}.${_caf_minor}.${_caf_patch}")
  endif()
endif()

foreach(_comp IN LISTS _caf_components)
  string(TOUPPER "${_comp}" _COMP)
  find_library(CAF_${_COMP}_LIBRARY NAMES caf_${_comp}
               HINTS ${CAF_ROOT_DIR}/lib ENV CAF_ROOT_DIR)
  if(CAF_${_COMP}_LIBRARY)
    set(CAF_${_comp}_FOUND TRUE)
  else()
    set(CAF_${_comp}_FOUND FALSE)
  endif()
endforeach()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(CAF
  REQUIRED_VARS CAF_INCLUDE_DIR CAF_CORE_LIBRARY
  VERSION_VAR CAF_VERSION
  HANDLE_COMPONENTS)

if(CAF_FOUND)
  find_package(Threads REQUIRED)
  if(CAF_core_FOUND AND NOT TARGET CAF::core)
    add_library(CAF::core UNKNOWN IMPORTED)
    set_target_properties(CAF::core PROPERTIES
      IMPORTED_LOCATION "${CAF_CORE_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${CAF_INCLUDE_DIR}"
      INTERFACE_LINK_LIBRARIES Threads::Threads)
  endif()
  if(CAF_io_FOUND AND NOT TARGET CAF::io)
    add_library(CAF::io UNKNOWN IMPORTED)
    set_target_properties(CAF::io PROPERTIES
      IMPORTED_LOCATION "${CAF_IO_LIBRARY}"
      INTERFACE_LINK_LIBRARIES CAF::core)
  endif()
  if(CAF_openssl_FOUND AND NOT TARGET CAF::openssl)
    find_package(OpenSSL REQUIRED)
    add_library(CAF::openssl UNKNOWN IMPORTED)
    set_target_properties(CAF::openssl PROPERTIES
      IMPORTED_LOCATION "${CAF_OPENSSL_LIBRARY}"
      INTERFACE_LINK_LIBRARIES "CAF::io;OpenSSL::SSL")
  endif()
endif()

mark_as_advanced(CAF_INCLUDE_DIR CAF_CORE_LIBRARY CAF_IO_LIBRARY
                 CAF_OPENSSL_LIBRARY)
