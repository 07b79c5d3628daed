// The one translation unit that compiles Catch2's main; every layer's test
// executable links this object.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
