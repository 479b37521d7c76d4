# actorpool_pkg_config(<output>): writes actorpool.pc for programs built
# without CMake. The file finds its prefix relative to itself, so it stays
# right wherever `cmake --install --prefix` puts it; CAF's flags come from
# where FindCAF found it, libcrypto's from where FindOpenSSL found it
# (nothing for the system's own directories).

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
  # libcrypto (OpenSSL), which the static library needs after it.
  get_filename_component(crypto_libdir "${OPENSSL_CRYPTO_LIBRARY}" DIRECTORY)
  set(crypto_libs "")
  if(NOT crypto_libdir MATCHES "^/usr/lib")
    set(crypto_libs "-L${crypto_libdir} -Wl,-rpath,${crypto_libdir} ")
  endif()
  set(ACTORPOOL_PC_CAF_LIBS
      "${crypto_libs}-lcrypto ${caf_libs}-lcaf_io -lcaf_core ")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/actorpool.pc.in ${output} @ONLY)
endfunction()
