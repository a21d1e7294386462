// Shared helpers of the server suites: temporary folders and response builders.
#pragma once

#include "nps/response.hpp"

#include <filesystem>
#include <random>
#include <string>

namespace npsd::test {

// A fresh folder under the system temp dir, removed with everything in it at scope end.
class TempDir {
public:
  TempDir() {
    std::random_device rd;
    path_ =
        std::filesystem::temp_directory_path() / ("npsd-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
  std::filesystem::path path_;
};

inline nps::Response response(const std::string& survey, int score, const std::string& key) {
  nps::Response r;
  r.survey_id = survey;
  r.score = nps::Score::from_int(score).value();
  r.idempotency_key = key;
  return r;
}

} // namespace npsd::test
