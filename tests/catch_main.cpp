// Catch2's runner and implementation, compiled once per build tree into nps_catch_main and
// linked into every test binary (tests/CMakeLists.txt): the single header's implementation
// takes ~30 s of one core to compile (~40 s under ASan), so once instead of once per binary.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
