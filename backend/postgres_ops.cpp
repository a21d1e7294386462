// issue 17: operational data and stored fits on PostgreSQL (ops_store.hpp).
#include "ops_engines.hpp"
#include "postgres_conn.hpp"

namespace npsd::pg {

namespace {

class PostgresOps final : public OpsStore {
public:
  PostgresOps(Writer& w, Pool& r) : writer_(w), readers_(r) {}

  std::size_t import_ops(const std::string& survey_id, const std::vector<OpsRow>& rows) override {
    return writer_.write([&survey_id, &rows](Conn& c) {
      for (const auto& r : rows)
        c.run("INSERT INTO ops_values (survey_id, customer, day, metric, value) VALUES ($1, $2, $3, $4, $5) "
              "ON CONFLICT (survey_id, customer, day, metric) DO UPDATE SET value = excluded.value",
              Params().add(survey_id).add(r.customer).add(r.day).add(r.metric).add(ops_value_text(r.value)));
      return rows.size();
    });
  }

  std::vector<OpsRow> ops_rows(const std::string& survey_id) const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT customer, day, metric, value FROM ops_values WHERE survey_id = $1 "
                    "ORDER BY customer COLLATE \"C\", day, metric COLLATE \"C\"",
                    Params().add(survey_id));
    std::vector<OpsRow> out;
    for (int i = 0; i < r.rows(); ++i)
      out.push_back({r.text(i, 0), static_cast<std::int32_t>(r.i64(i, 1)), r.text(i, 2),
                     ops_value_from_text(r.text(i, 3))});
    return out;
  }

  std::size_t delete_ops(const std::string& survey_id) override {
    return writer_.write([&survey_id](Conn& c) {
      const auto n = static_cast<std::size_t>(
          c.run("DELETE FROM ops_values WHERE survey_id = $1", Params().add(survey_id)).affected());
      c.run("DELETE FROM insight_fits WHERE survey_id = $1", Params().add(survey_id));
      return n;
    });
  }

  void put_fit(const std::string& survey_id, const std::string& kind, const StoredFit& fit) override {
    writer_.write([&](Conn& c) {
      c.run("INSERT INTO insight_fits (survey_id, kind, fit, at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (survey_id, kind) DO UPDATE SET fit = excluded.fit, at = excluded.at",
            Params().add(survey_id).add(kind).add(fit.json).add(fit.at));
      return true;
    });
  }

  std::optional<StoredFit> fit(const std::string& survey_id, const std::string& kind) const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT fit, at FROM insight_fits WHERE survey_id = $1 AND kind = $2",
                    Params().add(survey_id).add(kind));
    if (r.rows() == 0) return std::nullopt;
    return StoredFit{r.text(0, 0), r.i64(0, 1)};
  }

  std::vector<std::pair<std::string, StoredFit>> fits(const std::string& survey_id) const override {
    auto c = readers_.lease();
    auto r = c->run("SELECT kind, fit, at FROM insight_fits WHERE survey_id = $1 ORDER BY kind COLLATE \"C\"",
                    Params().add(survey_id));
    std::vector<std::pair<std::string, StoredFit>> out;
    for (int i = 0; i < r.rows(); ++i)
      out.emplace_back(r.text(i, 0), StoredFit{r.text(i, 1), r.i64(i, 2)});
    return out;
  }

private:
  Writer& writer_;
  Pool& readers_;
};

} // namespace

std::unique_ptr<OpsStore> make_ops(Writer& writer, Pool& readers) {
  return std::make_unique<PostgresOps>(writer, readers);
}

} // namespace npsd::pg
