// nps_invoke OP < input.json: one core operation, its output on stdout (exit 0), or its
// errors (exit 1). The insight oracle tests (oracle.py) feed the core through it.
#include "nps/api.hpp"

#include <iostream>
#include <iterator>
#include <string>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: nps_invoke OP < input.json\n";
    return 2;
  }
  const std::string input{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  const nps::Invoked r = nps::invoke(argv[1], input);
  std::cout << r.text << '\n';
  return r.ok ? 0 : 1;
}
