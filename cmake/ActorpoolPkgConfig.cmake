# actorpool_pkg_config(<output>): writes actorpool.pc for programs built
# without CMake. The file finds its prefix relative to itself, so it stays
# right wherever `cmake --install --prefix` puts it; CAF's flags come from
# where FindCAF found it (nothing for the system's own directories).

function(actorpool_pkg_config output)
  file(RELATIVE_PATH to_prefix
       "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  string(REGEX REPLACE "/$" "" to_prefix "${to_prefix}")
  set(ACTORPOOL_PC_TO_PREFIX "${to_prefix}")
  set(caf_cflags "")
  if(NOT CAF_INCLUDE_DIR STREQUAL "/usr/include")
    set(caf_cflags "-I${CAF_INCLUDE_DIR} ")
  endif()
  get_filename_component(caf_libdir "${CAF_CORE_LIBRARY}" DIRECTORY)
  set(caf_libs "")
  if(NOT caf_libdir MATCHES "^/usr/lib")
    set(caf_libs "-L${caf_libdir} -Wl,-rpath,${caf_libdir} ")
  endif()
  set(ACTORPOOL_PC_CAF_CFLAGS "${caf_cflags}")
  set(ACTORPOOL_PC_CAF_LIBS "${caf_libs}-lcaf_io -lcaf_core ")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/actorpool.pc.in ${output} @ONLY)
endfunction()
