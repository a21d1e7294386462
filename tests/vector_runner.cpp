// Runs the shared JSON test vectors (tests/vectors/*.json) through the native core.
// tests/wasm/run_vectors.mjs runs the same files through the Wasm build and compares its
// output text, byte for byte, with the file this runner writes (--out).
//
// A vector file: {"op": "...", "cases": [{"name": "...", "input": ..., "output": ...}
//                                        | {"name": "...", "input": ..., "errors": [...]}]}
// A case may name its own "op". Expected errors list code and path (and optionally the
// message); actual errors must match them in order and number.
//
// Two more checks on every case whose survey the core accepts (what npsd would serve):
// read_normalized_survey(to_json(s)) == s, and invoke_flow (the browser's flow module,
// which reads the survey, and a flow state, without validating them) answers a flow case
// given that normalised survey (and the state as the core writes it) exactly as invoke()
// answers the original.
// And on every eligibility.decide case, what the browser's eligibility module uses in place
// of the full readers and decide(): read_valid_visitor/read_valid_page refuse exactly what
// parse_visitor/parse_page refuse and read the same values, and decide_unexplained gives
// the same verdict, code, params and wait_for as decide(), with no reason.
#include "nps/api.hpp"
#include "nps/eligibility.hpp"
#include "nps/flow.hpp"
#include "nps/survey.hpp"

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

// The survey in a case's input, when there is one.
const json* survey_of(const std::string& op, const json& input) {
  if (op == "survey.parse") return &input;
  if (input.is_object() && input.contains("survey")) return &input.at("survey");
  return nullptr;
}

// "" when the served (normalised) survey behaves as the original, else what differs.
std::string served_problem(const std::string& op, const json& input, const nps::Invoked& expected) {
  if (op == "visitor.record") { // the flow module's copy, on every visitor the full core accepts
    const nps::Invoked got = nps::invoke_flow(op, nps::dump(input));
    if (expected.ok && (!got.ok || got.text != expected.text)) return "invoke_flow: " + got.text;
    return "";
  }
  const json* raw = survey_of(op, input);
  if (!raw) return "";
  auto parsed = nps::parse_survey(*raw);
  if (!parsed) return "";
  const json served = nps::to_json(*parsed);
  if (!(nps::read_normalized_survey(served) == *parsed))
    return "read_normalized_survey(to_json(s)) differs from s: " + nps::dump(served);
  if (op != "flow.start" && op != "flow.locale" && op != "flow.apply") return "";
  json in = input;
  in["survey"] = served;
  if (op == "flow.apply") {
    // The module reads its own state back unchecked: give it what it would have written.
    auto state = nps::parse_flow_state(input.value("state", json()));
    if (!state) return "";
    const json written = nps::to_json(*state);
    if (!(nps::read_normalized_flow_state(written) == *state))
      return "read_normalized_flow_state(to_json(s)) differs from s: " + nps::dump(written);
    in["state"] = written;
  }
  const nps::Invoked got = nps::invoke_flow(op, nps::dump(in));
  if (got.ok != expected.ok || got.text != expected.text)
    return "invoke_flow with the served survey: " + got.text;
  return "";
}

// "" when the eligibility module's quiet readers and unexplained decision agree with the
// full ones on this case, else what differs.
std::string quiet_problem(const std::string& op, const json& input) {
  if (op != "eligibility.decide" || !input.is_object() || !input.contains("visitor") ||
      !input.contains("page"))
    return "";
  const auto visitor = nps::parse_visitor(input.at("visitor"));
  const auto quiet_visitor = nps::read_valid_visitor(input.at("visitor"));
  if (visitor.ok() != quiet_visitor.has_value() || (visitor.ok() && !(*visitor == *quiet_visitor)))
    return "read_valid_visitor disagrees with parse_visitor";
  const auto page = nps::parse_page(input.at("page"));
  const auto quiet_page = nps::read_valid_page(input.at("page"));
  if (page.ok() != quiet_page.has_value() || (page.ok() && !(*page == *quiet_page)))
    return "read_valid_page disagrees with parse_page";
  if (!visitor || !page || !input.contains("survey")) return "";
  const auto survey = nps::parse_survey(input.at("survey"));
  if (!survey) return "";
  const nps::Decision d = nps::decide(*survey, *visitor, *page);
  const nps::Decision q =
      nps::decide_unexplained(survey->id, survey->targeting, survey->sampling, *visitor, *page);
  if (q.verdict != d.verdict || q.code != d.code || q.params != d.params || !(q.wait_for == d.wait_for) ||
      !q.reason.empty())
    return "decide_unexplained differs from decide: " + q.code + " " + nps::dump(q.params);
  return "";
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
      if (c.contains("output"))
        good = r.ok && actual == c.at("output");
      else if (c.contains("errors"))
        good = !r.ok && errors_match(c.at("errors"), actual);
      if (good) {
        std::string problem = served_problem(op, c.at("input"), r);
        if (problem.empty()) problem = quiet_problem(op, c.at("input"));
        if (!problem.empty()) {
          ++failed;
          std::cerr << "FAIL " << name << " (served survey)\n  " << problem << "\n";
          continue;
        }
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
