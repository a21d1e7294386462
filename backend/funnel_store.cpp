// issue 19: the funnel's counters on SQLite and PostgreSQL (funnel_store.hpp). Each count
// is an upsert through the engine's writer, so it joins the group commit of the answers.
#include "funnel_store.hpp"

#include "postgres_conn.hpp"
#include "sqlite_writer.hpp"
#include "storage.hpp"

namespace npsd {

bool is_funnel_event(std::string_view e) noexcept { return e == "shown" || e == "dismissed"; }

FunnelStore& Storage::funnel() { throw StorageError("this storage keeps no funnel counts"); }

namespace sqlite {
namespace {

class SqliteFunnel final : public FunnelStore {
public:
  SqliteFunnel(Writer& w, ReadPool& r) : writer_(w), readers_(r) {}

  void count(const std::string& survey_id, std::int32_t day, const std::string& channel,
             const std::string& event) override {
    writer_.write([&](Conn& c) {
      c.prep("INSERT INTO funnel_counts (survey_id, day, channel, event, count) VALUES (?1, ?2, ?3, ?4, 1) "
             "ON CONFLICT (survey_id, day, channel, event) DO UPDATE SET count = count + 1")
          .bind(1, survey_id)
          .bind(2, day)
          .bind(3, channel)
          .bind(4, event)
          .run();
      return true;
    });
  }

  std::vector<FunnelTotal> totals(const std::string& survey_id, std::int32_t from_day,
                                  std::int32_t to_day) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT channel, event, SUM(count) FROM funnel_counts WHERE survey_id = ?1 AND day "
                      "BETWEEN ?2 AND ?3 GROUP BY channel, event ORDER BY channel, event");
    st.bind(1, survey_id).bind(2, from_day).bind(3, to_day);
    std::vector<FunnelTotal> out;
    while (st.step())
      out.push_back({st.text(0), st.text(1), static_cast<std::uint64_t>(st.i64(2))});
    return out;
  }

  std::vector<FunnelCount> counters(const std::string& survey_id) const override {
    auto c = readers_.lease();
    auto st =
        c->prep("SELECT day, channel, event, count FROM funnel_counts WHERE survey_id = ?1 ORDER BY day, "
                "channel, event");
    st.bind(1, survey_id);
    std::vector<FunnelCount> out;
    while (st.step())
      out.push_back({static_cast<std::int32_t>(st.i64(0)), st.text(1), st.text(2),
                     static_cast<std::uint64_t>(st.i64(3))});
    return out;
  }

  void raise(const std::string& survey_id, const std::vector<FunnelCount>& counters) override {
    writer_.write([&](Conn& c) {
      for (const auto& n : counters)
        c.prep(
             "INSERT INTO funnel_counts (survey_id, day, channel, event, count) VALUES (?1, ?2, ?3, ?4, ?5) "
             "ON CONFLICT (survey_id, day, channel, event) DO UPDATE SET count = max(count, excluded.count)")
            .bind(1, survey_id)
            .bind(2, n.day)
            .bind(3, n.channel)
            .bind(4, n.event)
            .bind(5, static_cast<std::int64_t>(n.count))
            .run();
      return true;
    });
  }

private:
  Writer& writer_;
  ReadPool& readers_;
};

} // namespace

std::unique_ptr<FunnelStore> make_funnel_store(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteFunnel>(writer, readers);
}

} // namespace sqlite

namespace pg {
namespace {

class PostgresFunnel final : public FunnelStore {
public:
  PostgresFunnel(Writer& w, Pool& r) : writer_(w), readers_(r) {}

  void count(const std::string& survey_id, std::int32_t day, const std::string& channel,
             const std::string& event) override {
    writer_.write([&](Conn& c) {
      c.run("INSERT INTO funnel_counts (survey_id, day, channel, event, count) VALUES ($1, $2, $3, $4, 1) "
            "ON CONFLICT (survey_id, day, channel, event) DO UPDATE SET count = funnel_counts.count + 1",
            Params().add(survey_id).add(day).add(channel).add(event));
      return true;
    });
  }

  std::vector<FunnelTotal> totals(const std::string& survey_id, std::int32_t from_day,
                                  std::int32_t to_day) const override {
    auto c = readers_.lease();
    auto r = c->run(
        "SELECT channel, event, SUM(count) FROM funnel_counts WHERE survey_id = $1 AND day "
        "BETWEEN $2 AND $3 GROUP BY channel, event ORDER BY channel COLLATE \"C\", event COLLATE \"C\"",
        Params().add(survey_id).add(from_day).add(to_day));
    std::vector<FunnelTotal> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({r.text(i, 0), r.text(i, 1), static_cast<std::uint64_t>(r.i64(i, 2))});
    return out;
  }

  std::vector<FunnelCount> counters(const std::string& survey_id) const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT day, channel, event, count FROM funnel_counts WHERE survey_id = $1 ORDER BY day, "
                    "channel COLLATE \"C\", event COLLATE \"C\"",
                    Params().add(survey_id));
    std::vector<FunnelCount> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({static_cast<std::int32_t>(r.i64(i, 0)), r.text(i, 1), r.text(i, 2),
                     static_cast<std::uint64_t>(r.i64(i, 3))});
    return out;
  }

  void raise(const std::string& survey_id, const std::vector<FunnelCount>& counters) override {
    writer_.write([&](Conn& c) {
      for (const auto& n : counters)
        c.run("INSERT INTO funnel_counts (survey_id, day, channel, event, count) VALUES ($1, $2, $3, $4, $5) "
              "ON CONFLICT (survey_id, day, channel, event) DO UPDATE SET count = "
              "greatest(funnel_counts.count, excluded.count)",
              Params().add(survey_id).add(n.day).add(n.channel).add(n.event).add(
                  static_cast<std::int64_t>(n.count)));
      return true;
    });
  }

private:
  Writer& writer_;
  Pool& readers_;
};

} // namespace

std::unique_ptr<FunnelStore> make_funnel_store(Writer& writer, Pool& readers) {
  return std::make_unique<PostgresFunnel>(writer, readers);
}

} // namespace pg

} // namespace npsd
