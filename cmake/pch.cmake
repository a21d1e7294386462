# Precompiled headers for the native targets (not under Emscripten): nlohmann/json, and for
# the HTTP and test targets cpp-httplib and Catch2's single header, are parsed once per target
# instead of once per source file. One source file of npsd spent ~2 s of its ~9.5 s in them
# (measured with GCC 12, -O2 -g). Off with -DNPS_PCH=OFF; the sources include what they use
# either way, so a build without them is the same program.
option(NPS_PCH "Precompile the heavy third-party headers of native targets" ON)

# nps_precompile(target [HTTP] [CATCH])
function(nps_precompile target)
  if(NOT NPS_PCH OR EMSCRIPTEN)
    return()
  endif()
  cmake_parse_arguments(PCH "HTTP;CATCH" "" "" ${ARGN})
  set(headers <algorithm> <map> <optional> <string> <string_view> <vector> <nlohmann/json.hpp>)
  if(PCH_HTTP)
    list(APPEND headers <httplib.h>)
  endif()
  if(PCH_CATCH)
    list(APPEND headers <catch2/catch.hpp>)
  endif()
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()
