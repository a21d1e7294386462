// Runs the shared JSON test vectors (tests/vectors/*.json) through the native core.
// tests/wasm/run_vectors.mjs runs the same files through the Wasm build and compares its
// output text, byte for byte, with the file this runner writes (--out).
//
// A vector file: {"op": "...", "cases": [{"name": "...", "input": ..., "output": ...}
//                                        | {"name": "...", "input": ..., "errors": [...]}]}
// A case may name its own "op". Expected errors list code and path (and optionally the
// message); actual errors must match them in order and number.
#include "nps/api.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nps::json;

namespace {

bool errors_match(const json& expected, const json& actual) {
  if (!expected.is_array() || !actual.is_array() || expected.size() != actual.size()) return false;
  for (std::size_t i = 0; i < expected.size(); ++i)
    for (const auto& [k, v] : expected[i].items())
      if (!actual[i].contains(k) || actual[i][k] != v) return false;
  return true;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: nps_vectors DIR [--out FILE]\n";
    return 2;
  }
  const fs::path dir = argv[1];
  std::string out_path;
  for (int i = 2; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--out") out_path = argv[i + 1];

  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());

  std::ostringstream transcript;
  std::set<std::string> ops_seen;
  int passed = 0, failed = 0;
  for (const auto& file : files) {
    std::ifstream in(file);
    std::stringstream buf;
    buf << in.rdbuf();
    auto doc = nps::parse_json(buf.str());
    if (!doc || !doc->is_object() || !doc->contains("cases")) {
      std::cerr << file.filename().string() << ": not a vector file\n";
      ++failed;
      continue;
    }
    for (const auto& c : doc->at("cases")) {
      const std::string op = c.value("op", doc->value("op", std::string()));
      const std::string name = file.filename().string() + "#" + c.value("name", std::string("?"));
      ops_seen.insert(op);
      const nps::Invoked r = nps::invoke(op, nps::dump(c.at("input")));
      transcript << name << '\t' << (r.ok ? "ok" : "err") << '\t' << r.text << '\n';
      const json actual = json::parse(r.text);
      bool good = false;
      if (c.contains("output")) good = r.ok && actual == c.at("output");
      else if (c.contains("errors")) good = !r.ok && errors_match(c.at("errors"), actual);
      if (good) {
        ++passed;
        continue;
      }
      ++failed;
      std::cerr << "FAIL " << name << "\n  expected: "
                << nps::dump(c.contains("output") ? c.at("output") : c.value("errors", json()))
                << "\n  actual:   " << (r.ok ? "" : "errors ") << r.text << "\n";
    }
  }
  for (auto op : nps::operation_names()) {
    if (!ops_seen.count(std::string(op))) {
      std::cerr << "FAIL operation " << op << " has no test vector\n";
      ++failed;
    }
  }
  if (!out_path.empty()) std::ofstream(out_path) << transcript.str();
  std::cout << "vectors (native): " << passed << " passed, " << failed << " failed\n";
  return failed == 0 && passed > 0 ? 0 : 1;
}
