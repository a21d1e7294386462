// How often the English lexicon (backend/sentiment.*) reads a review's polarity right, on the
// labelled review sets npm's `sentiment` package ships (test/fixtures/{amazon,imdb,yelp}.json:
// 1,000 sentences each, class 1 positive, 0 negative), beside the baseline of always guessing
// the set's majority class, measured in the same run. Not a test: tests/themes/ calls it.
//
//   sentiment_bench [--fixtures DIR]   the table (DIR: web/node_modules/sentiment/test/fixtures)
//   sentiment_bench --score            reads a JSON array of texts on stdin, writes
//                                      [{"score", "comparative"}] (the oracle test's input)
//
// "called" is a sentence with a sum other than 0: the dashboard shows a tone only then. The
// package's own validate.js counts a sum of 0 as positive; that figure is printed too.
#include "sentiment.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

namespace {

int score_stdin() {
  const std::string in((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  nlohmann::json out = nlohmann::json::array();
  for (const auto& text : nlohmann::json::parse(in)) {
    const auto s = npsd::english_sentiment(text.get<std::string>());
    out.push_back({{"score", s.sum}, {"comparative", s.comparative}});
  }
  std::cout << out.dump() << "\n";
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  std::string dir = "web/node_modules/sentiment/test/fixtures";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--score") return score_stdin();
    if (a == "--fixtures" && i + 1 < argc) {
      dir = argv[++i];
    } else {
      std::fprintf(stderr, "usage: sentiment_bench [--fixtures DIR] | --score\n");
      return 2;
    }
  }
  std::printf("%-7s %5s %8s %9s %10s %9s %10s %9s\n", "set", "n", "called", "accuracy", "of called",
              "majority", "ratio", "package");
  long all_n = 0, all_right = 0;
  for (const char* name : {"amazon", "imdb", "yelp"}) {
    std::ifstream f(dir + "/" + name + ".json");
    if (!f) {
      std::fprintf(stderr, "cannot read %s/%s.json\n", dir.c_str(), name);
      return 1;
    }
    const auto set = nlohmann::json::parse(f);
    long n = 0, called = 0, right = 0, positives = 0, package = 0;
    for (const auto& row : set) {
      if (!row.at("class").is_number()) continue; // each set ends with an empty, unlabelled row
      const bool positive = row.at("class").get<int>() == 1;
      const auto s = npsd::english_sentiment(row.at("text").get<std::string>());
      ++n;
      positives += positive;
      if (s.sum != 0) {
        ++called;
        right += (s.sum > 0) == positive;
      }
      package += (s.comparative >= 0) == positive;
    }
    // Accuracy over every sentence: a sentence not called counts as wrong.
    const double acc = static_cast<double>(right) / static_cast<double>(n);
    const double majority = static_cast<double>(std::max(positives, n - positives)) / static_cast<double>(n);
    std::printf("%-7s %5ld %7.1f%% %8.1f%% %9.1f%% %8.1f%% %10.2f %8.1f%%\n", name, n, 100.0 * called / n,
                100.0 * acc, 100.0 * right / std::max(called, 1L), 100.0 * majority, acc / majority,
                100.0 * package / n);
    all_n += n;
    all_right += right;
  }
  std::printf("all     %5ld accuracy %.1f%% (a sentence with no scored word counts as wrong)\n", all_n,
              100.0 * all_right / all_n);
  return 0;
}
