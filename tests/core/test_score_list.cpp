#include "nps/score_list.hpp"

#include <catch2/catch.hpp>

TEST_CASE("score list: one score per line, blanks skipped, invalid lines numbered", "[core][score_list]") {
  auto list = nps::read_scores("10\n9\n\n7\n9.5\n0\n11\n", {}).value();
  CHECK(list.tally.n() == 4);
  CHECK(list.blank == 1);
  REQUIRE(list.invalid.size() == 2);
  CHECK(list.invalid[0].line == 5);
  CHECK(list.invalid[0].value == "9.5");
  CHECK(list.invalid[1].line == 7);
}

TEST_CASE("score list: CSV with a named column, quotes and CRLF", "[core][score_list]") {
  const std::string csv = "\xEF\xBB\xBFid,comment,score\r\n"
                          "1,\"Great, really\",10\r\n"
                          "2,\"Said \"\"meh\"\"\nover two lines\",6\r\n"
                          "3,,\r\n"
                          "4,x,abc\r\n";
  auto list = nps::read_scores(csv, {.column = "score"}).value();
  CHECK(list.tally.n() == 2);
  CHECK(list.tally.promoters() == 1);
  CHECK(list.tally.detractors() == 1);
  CHECK(list.blank == 1);
  REQUIRE(list.invalid.size() == 1);
  CHECK(list.invalid[0].line == 6); // the record after a two-line field starts on line 6
}

TEST_CASE("score list: semicolon exports from spreadsheets in es, ru, de locales", "[core][score_list]") {
  auto list = nps::read_scores("Nombre;Puntuación\nAna;9\nLuis;3\n", {.column = "Puntuación"}).value();
  CHECK(list.tally.n() == 2);
}

TEST_CASE("score list: an unknown column names the ones that exist", "[core][score_list]") {
  auto r = nps::read_scores("a,b\n1,2\n", {.column = "score"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().path == "column");
  CHECK_THAT(r.error().message, Catch::Matchers::Contains("\"a\", \"b\""));
}

TEST_CASE("score list: an unclosed quote is an error with its line", "[core][score_list]") {
  auto r = nps::read_scores("score\n\"9\n", {.column = "score"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().path == "line 2");
}
