// issue 17: operational data and stored fits on SQLite (ops_store.hpp).
#include "ops_engines.hpp"
#include "sqlite_writer.hpp"

namespace npsd::sqlite {

namespace {

class SqliteOps final : public OpsStore {
public:
  SqliteOps(Writer& w, ReadPool& r) : writer_(w), readers_(r) {}

  std::size_t import_ops(const std::string& survey_id, const std::vector<OpsRow>& rows) override {
    return writer_.write([&survey_id, &rows](Conn& c) {
      for (const auto& r : rows)
        c.prep("INSERT INTO ops_values (survey_id, customer, day, metric, value) VALUES (?1, ?2, ?3, ?4, ?5) "
               "ON CONFLICT (survey_id, customer, day, metric) DO UPDATE SET value = excluded.value")
            .bind(1, survey_id)
            .bind(2, r.customer)
            .bind(3, r.day)
            .bind(4, r.metric)
            .bind(5, ops_value_text(r.value))
            .run();
      return rows.size();
    });
  }

  std::vector<OpsRow> ops_rows(const std::string& survey_id) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT customer, day, metric, value FROM ops_values WHERE survey_id = ?1 "
                      "ORDER BY customer, day, metric");
    st.bind(1, survey_id);
    std::vector<OpsRow> out;
    while (st.step())
      out.push_back(
          {st.text(0), static_cast<std::int32_t>(st.i64(1)), st.text(2), ops_value_from_text(st.text(3))});
    return out;
  }

  std::size_t delete_ops(const std::string& survey_id) override {
    return writer_.write([&survey_id](Conn& c) {
      c.prep("DELETE FROM ops_values WHERE survey_id = ?1").bind(1, survey_id).run();
      const auto n = static_cast<std::size_t>(c.changes());
      c.prep("DELETE FROM insight_fits WHERE survey_id = ?1").bind(1, survey_id).run();
      return n;
    });
  }

  void put_fit(const std::string& survey_id, const std::string& kind, const StoredFit& fit) override {
    writer_.write([&](Conn& c) {
      c.prep("INSERT INTO insight_fits (survey_id, kind, fit, at) VALUES (?1, ?2, ?3, ?4) "
             "ON CONFLICT (survey_id, kind) DO UPDATE SET fit = excluded.fit, at = excluded.at")
          .bind(1, survey_id)
          .bind(2, kind)
          .bind(3, fit.json)
          .bind(4, fit.at)
          .run();
      return true;
    });
  }

  std::optional<StoredFit> fit(const std::string& survey_id, const std::string& kind) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT fit, at FROM insight_fits WHERE survey_id = ?1 AND kind = ?2");
    st.bind(1, survey_id).bind(2, kind);
    if (!st.step()) return std::nullopt;
    return StoredFit{st.text(0), st.i64(1)};
  }

  std::vector<std::pair<std::string, StoredFit>> fits(const std::string& survey_id) const override {
    auto c = readers_.lease();
    auto st = c->prep("SELECT kind, fit, at FROM insight_fits WHERE survey_id = ?1 ORDER BY kind");
    st.bind(1, survey_id);
    std::vector<std::pair<std::string, StoredFit>> out;
    while (st.step())
      out.emplace_back(st.text(0), StoredFit{st.text(1), st.i64(2)});
    return out;
  }

private:
  Writer& writer_;
  ReadPool& readers_;
};

} // namespace

std::unique_ptr<OpsStore> make_ops(Writer& writer, ReadPool& readers) {
  return std::make_unique<SqliteOps>(writer, readers);
}

} // namespace npsd::sqlite
