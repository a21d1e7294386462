// Dear ImGui view of the survey flow. See nps_imgui.hpp for what is (not) implemented.
//
// Sections: utf-8 · arabic shaping · bidi · text drawing · theme · view state · steps ·
//           draw_survey · fonts
#include "nps_imgui.hpp"

#include "nps/i18n.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <unordered_map>

namespace nps::imgui {
namespace {

// ---- utf-8 ----------------------------------------------------------------------------------

std::u32string decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    if (i + static_cast<std::size_t>(n) > s.size()) n = 1;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n; ++k)
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
    out.push_back(cp);
    i += static_cast<std::size_t>(n);
  }
  return out;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string encode(const std::u32string& s) {
  std::string out;
  out.reserve(s.size() * 2);
  for (char32_t cp : s)
    append_utf8(out, cp);
  return out;
}

// ---- arabic shaping ---------------------------------------------------------------------------

// Joining types of U+0621..U+064A and the first code point of their forms in Arabic
// Presentation Forms-B: isolated, final, initial, medial in a row (right-joining letters
// have isolated and final only). 'U': never joins; 'C': joins both sides, no forms (tatweel).
struct ArabicLetter {
  char type; // 'D' dual, 'R' right, 'U' none, 'C' join-causing
  char32_t forms;
};

ArabicLetter arabic_letter(char32_t cp) {
  static constexpr ArabicLetter table[] = {
      {'U', 0xFE80}, {'R', 0xFE81}, {'R', 0xFE83}, {'R', 0xFE85}, {'R', 0xFE87}, {'D', 0xFE89}, // 0621-0626
      {'R', 0xFE8D}, {'D', 0xFE8F}, {'R', 0xFE93}, {'D', 0xFE95}, {'D', 0xFE99}, {'D', 0xFE9D}, // 0627-062C
      {'D', 0xFEA1}, {'D', 0xFEA5}, {'R', 0xFEA9}, {'R', 0xFEAB}, {'R', 0xFEAD}, {'R', 0xFEAF}, // 062D-0632
      {'D', 0xFEB1}, {'D', 0xFEB5}, {'D', 0xFEB9}, {'D', 0xFEBD}, {'D', 0xFEC1}, {'D', 0xFEC5}, // 0633-0638
      {'D', 0xFEC9}, {'D', 0xFECD},                                                             // 0639-063A
      {'U', 0},      {'U', 0},      {'U', 0},      {'U', 0},      {'U', 0},                     // 063B-063F
      {'C', 0}, // 0640 tatweel
      {'D', 0xFED1}, {'D', 0xFED5}, {'D', 0xFED9}, {'D', 0xFEDD}, {'D', 0xFEE1}, {'D', 0xFEE5}, // 0641-0646
      {'D', 0xFEE9}, {'R', 0xFEED}, {'R', 0xFEEF}, {'D', 0xFEF1},                               // 0647-064A
  };
  if (cp >= 0x0621 && cp <= 0x064A) return table[cp - 0x0621];
  return {'U', 0};
}

bool transparent(char32_t cp) { return (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670; }

// Replaces Arabic letters by their contextual forms (logical order is kept).
std::u32string shape_arabic(const std::u32string& in) {
  const auto n = in.size();
  // The neighbour letter on each side, skipping combining marks.
  const auto neighbour = [&](std::size_t i, int dir) -> char32_t {
    for (auto j = static_cast<std::ptrdiff_t>(i) + dir; j >= 0 && j < static_cast<std::ptrdiff_t>(n);
         j += dir) {
      const char32_t c = in[static_cast<std::size_t>(j)];
      if (!transparent(c)) return c;
    }
    return 0;
  };
  const auto joins_forward = [](char32_t c) { // can connect to the letter after it
    const char t = arabic_letter(c).type;
    return t == 'D' || t == 'C';
  };
  const auto joins_back = [](char32_t c) { // can connect to the letter before it
    const char t = arabic_letter(c).type;
    return t == 'D' || t == 'R' || t == 'C';
  };
  std::u32string out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const char32_t c = in[i];
    const ArabicLetter l = arabic_letter(c);
    if (l.forms == 0) {
      out.push_back(c);
      continue;
    }
    const char32_t prev = neighbour(i, -1), next = neighbour(i, +1);
    const bool to_prev = prev && joins_forward(prev) && joins_back(c);
    // Lam + alef: one ligature (isolated or final).
    if (c == 0x0644 && i + 1 < n) {
      const char32_t a = in[i + 1];
      const char32_t lig = a == 0x0622   ? 0xFEF5
                           : a == 0x0623 ? 0xFEF7
                           : a == 0x0625 ? 0xFEF9
                           : a == 0x0627 ? 0xFEFB
                                         : 0;
      if (lig) {
        out.push_back(to_prev ? lig + 1 : lig);
        ++i;
        continue;
      }
    }
    const bool to_next = next && l.type == 'D' && joins_back(next);
    if (l.type == 'U')
      out.push_back(l.forms);
    else if (l.type == 'R')
      out.push_back(to_prev ? l.forms + 1 : l.forms);
    else
      out.push_back(to_prev && to_next ? l.forms + 3
                    : to_prev          ? l.forms + 1
                    : to_next          ? l.forms + 2
                                       : l.forms);
  }
  return out;
}

// ---- bidi ---------------------------------------------------------------------------------

bool strong_rtl(char32_t c) {
  return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}
bool strong_ltr(char32_t c) {
  if (c >= '0' && c <= '9') return true; // numbers keep their order inside RTL text
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  return c >= 0x00C0 && !strong_rtl(c) && !(c >= 0x2000 && c <= 0x206F) && !(c >= 0x3000 && c <= 0x303F);
}

char32_t mirror(char32_t c) {
  switch (c) {
  case '(': return ')';
  case ')': return '(';
  case '[': return ']';
  case ']': return '[';
  case '{': return '}';
  case '}': return '{';
  case '<': return '>';
  case '>': return '<';
  case 0x00AB: return 0x00BB;
  case 0x00BB: return 0x00AB;
  default: return c;
  }
}

// A right-to-left paragraph line in visual order: runs of left-to-right characters (with
// the neutrals between them) keep their order, everything else is reversed.
std::u32string reorder_rtl(const std::u32string& s) {
  const auto n = s.size();
  std::vector<bool> ltr(n, false);
  for (std::size_t i = 0; i < n; ++i)
    ltr[i] = strong_ltr(s[i]);
  // Neutrals between two LTR characters join them; other neutrals take the paragraph's RTL.
  for (std::size_t i = 0; i < n; ++i) {
    if (ltr[i] || strong_rtl(s[i])) continue;
    std::size_t j = i;
    while (j < n && !strong_ltr(s[j]) && !strong_rtl(s[j]))
      ++j;
    const bool before = i > 0 && ltr[i - 1];
    const bool after = j < n && strong_ltr(s[j]);
    for (std::size_t k = i; k < j; ++k)
      ltr[k] = before && after;
    i = j - 1;
  }
  std::u32string out;
  out.reserve(n);
  std::size_t end = n;
  while (end > 0) {
    std::size_t start = end - 1;
    if (ltr[start]) {
      while (start > 0 && ltr[start - 1])
        --start;
      out.append(s, start, end - start);
    } else {
      for (std::size_t k = end; k-- > 0 && !ltr[k];) {
        out.push_back(mirror(s[k]));
        start = k;
      }
    }
    end = start;
  }
  return out;
}

// ---- text drawing ---------------------------------------------------------------------------

struct Palette {
  ImU32 bg, text, dim, frame, frame_hover, border, accent, accent_hover, on_accent, error;
  ImU32 category[3]; // detractor, passive, promoter
  ImU32 on_category[3];
};

ImU32 hex_color(std::string_view hex, ImU32 fallback) {
  if (hex.size() != 7 || hex[0] != '#') return fallback;
  unsigned v = 0;
  for (std::size_t i = 1; i < 7; ++i) {
    const char c = hex[i];
    const int d = c >= '0' && c <= '9'   ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10
                  : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                         : -1;
    if (d < 0) return fallback;
    v = v * 16 + static_cast<unsigned>(d);
  }
  return IM_COL32((v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF, 0xFF);
}

float luminance(ImU32 c) {
  const ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
  return 0.2126f * v.x + 0.7152f * v.y + 0.0722f * v.z;
}

ImU32 shade(ImU32 c, float k) { // k > 1 lighter, < 1 darker
  ImVec4 v = ImGui::ColorConvertU32ToFloat4(c);
  v.x = std::min(1.0f, v.x * k);
  v.y = std::min(1.0f, v.y * k);
  v.z = std::min(1.0f, v.z * k);
  return ImGui::ColorConvertFloat4ToU32(v);
}

ImU32 readable_on(ImU32 bg) {
  return luminance(bg) > 0.55f ? IM_COL32(20, 22, 26, 255) : IM_COL32(255, 255, 255, 255);
}

Palette palette(const json& theme, HostMode host) {
  const auto mode = theme.value("mode", std::string("light"));
  const bool dark = mode == "dark" || (mode == "auto" && host == HostMode::dark);
  Palette p{};
  if (dark) {
    p.bg = IM_COL32(30, 33, 40, 250);
    p.text = IM_COL32(232, 234, 237, 255);
    p.dim = IM_COL32(160, 166, 176, 255);
    p.frame = IM_COL32(45, 49, 58, 255);
    p.frame_hover = IM_COL32(60, 66, 78, 255);
    p.border = IM_COL32(70, 76, 90, 255);
    p.error = IM_COL32(255, 135, 135, 255);
  } else {
    p.bg = IM_COL32(255, 255, 255, 250);
    p.text = IM_COL32(31, 35, 40, 255);
    p.dim = IM_COL32(91, 97, 110, 255);
    p.frame = IM_COL32(241, 243, 245, 255);
    p.frame_hover = IM_COL32(225, 229, 234, 255);
    p.border = IM_COL32(208, 215, 222, 255);
    p.error = IM_COL32(201, 42, 42, 255);
  }
  p.accent = hex_color(theme.value("accent", std::string()), IM_COL32(59, 91, 219, 255));
  p.accent_hover = shade(p.accent, dark ? 1.2f : 0.85f);
  p.on_accent = readable_on(p.accent);
  p.category[0] = IM_COL32(224, 49, 49, 255);
  p.category[1] = IM_COL32(250, 176, 5, 255);
  p.category[2] = IM_COL32(47, 158, 68, 255);
  for (int i = 0; i < 3; ++i)
    p.on_category[i] = readable_on(p.category[i]);
  return p;
}

int category_index(std::string_view c) { return c == "detractor" ? 0 : c == "passive" ? 1 : 2; }

std::string str(const json& j, const char* key) {
  if (!j.is_object()) return {};
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

struct Ctx {
  const Options* options = nullptr;
  bool rtl = false;
  float width = 0; // content width
  float x0 = 0;    // content start (window-local cursor x)
  Palette pal{};
  std::optional<FlowEvent> event;
  std::string open_url;

  void item(std::string_view name) const {
    if (options && options->on_item) options->on_item(name, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
  }
  // A one-line label in drawing order.
  [[nodiscard]] std::string vis(std::string_view s) const {
    return rtl ? visual_rtl_line(s) : std::string(s);
  }
};

// Wrapped paragraph text aligned to the reading direction's start edge (or centred).
void paragraph(const Ctx& c, std::string_view text, ImU32 color, bool centered = false) {
  ImGui::PushStyleColor(ImGuiCol_Text, color);
  ImFont* font = ImGui::GetFont();
  const float scale = ImGui::GetFontSize() / font->FontSize;
  const std::string shaped = c.rtl ? encode(shape_arabic(decode(text))) : std::string(text);
  const char* p = shaped.data();
  const char* const e = p + shaped.size();
  if (p == e) ImGui::NewLine();
  while (p < e) {
    const char* nl = std::find(p, e, '\n');
    const char* brk = font->CalcWordWrapPositionA(scale, p, nl, c.width);
    if (brk == p) brk = p + 1; // a glyph wider than the line: at least one byte
    std::string_view line(p, static_cast<std::size_t>(brk - p));
    while (!line.empty() && line.back() == ' ')
      line.remove_suffix(1);
    const std::string drawn = c.rtl ? encode(reorder_rtl(decode(line))) : std::string(line);
    const float w = ImGui::CalcTextSize(drawn.c_str()).x;
    if (centered)
      ImGui::SetCursorPosX(c.x0 + std::max(0.0f, (c.width - w) * 0.5f));
    else if (c.rtl)
      ImGui::SetCursorPosX(c.x0 + std::max(0.0f, c.width - w));
    else
      ImGui::SetCursorPosX(c.x0);
    ImGui::TextUnformatted(drawn.c_str());
    p = brk;
    while (p < nl && *p == ' ')
      ++p;
    if (p == nl && nl < e) ++p; // the newline itself
  }
  ImGui::PopStyleColor();
}

// A button filled with `bg`; returns true when pressed (mouse, keyboard or gamepad).
bool colored_button(const std::string& label, const char* id, ImVec2 size, ImU32 bg, ImU32 hover, ImU32 fg) {
  ImGui::PushStyleColor(ImGuiCol_Button, bg);
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, hover);
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, hover);
  ImGui::PushStyleColor(ImGuiCol_Text, fg);
  const std::string full = label + "##" + id;
  const bool pressed = ImGui::Button(full.c_str(), size);
  ImGui::PopStyleColor(4);
  return pressed;
}

void tooltip(const Ctx& c, const std::string& text) {
  if (text.empty()) return;
  if (ImGui::IsItemHovered() || (ImGui::IsItemFocused() && ImGui::GetIO().NavVisible)) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(c.vis(text).c_str());
    ImGui::EndTooltip();
  }
}

// ---- view state -----------------------------------------------------------------------------

// Input that belongs to the widget until submitted: text being typed, a choice not yet sent,
// the last error. Reset whenever the flow moves to another place.
struct ViewState {
  ImGuiContext* context = nullptr;
  int frame = -2; // the last frame the widget was drawn in
  std::string place;
  std::string text;
  json choice;
  std::string error;
};

std::unordered_map<ImGuiID, ViewState>& view_states() {
  static std::unordered_map<ImGuiID, ViewState> states;
  return states;
}

std::string place_of(const FlowState& s) {
  return s.response.idempotency_key + "/" + std::string(to_string(s.step)) + "/" +
         std::to_string(s.question) + "/" + s.locale;
}

int resize_callback(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    auto* s = static_cast<std::string*>(data->UserData);
    s->resize(static_cast<std::size_t>(data->BufTextLen));
    data->Buf = s->data();
  }
  return 0;
}

bool text_input(const Ctx& c, const char* id, std::string& text, const std::string& placeholder,
                float height) {
  text.reserve(64);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::SetCursorPosX(c.x0);
  ImGui::PushStyleColor(ImGuiCol_FrameBg, c.pal.frame);
  ImGui::PushStyleColor(ImGuiCol_FrameBgHovered, c.pal.frame_hover);
  const bool enter =
      ImGui::InputTextMultiline(id, text.data(), text.capacity() + 1, ImVec2(c.width, height),
                                ImGuiInputTextFlags_CallbackResize | ImGuiInputTextFlags_CtrlEnterForNewLine |
                                    ImGuiInputTextFlags_EnterReturnsTrue,
                                resize_callback, &text);
  ImGui::PopStyleColor(2);
  if (text.empty() && !ImGui::IsItemActive()) {
    // InputTextMultiline has no hint in ImGui 1.86: draw the placeholder over the empty box.
    const ImVec2 pad = ImGui::GetStyle().FramePadding;
    const std::string shown = c.vis(placeholder);
    const float w = ImGui::CalcTextSize(shown.c_str()).x;
    const float x = c.rtl ? pos.x + c.width - pad.x - w : pos.x + pad.x;
    ImGui::GetWindowDrawList()->AddText(ImVec2(x, pos.y + pad.y), c.pal.dim, shown.c_str());
  }
  return enter;
}

// ---- steps ----------------------------------------------------------------------------------

// Places `count` equal buttons on one row in reading order; returns the index pressed.
template <class Draw> void button_row(const Ctx& c, int count, float height, Draw draw) {
  const float gap = ImGui::GetStyle().ItemSpacing.x * 0.5f;
  const float w = std::floor((c.width - gap * static_cast<float>(count - 1)) / static_cast<float>(count));
  ImGui::SetCursorPosX(c.x0);
  ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, ImGui::GetStyle().ItemSpacing.y));
  for (int k = 0; k < count; ++k) {
    const int i = c.rtl ? count - 1 - k : k;
    if (k > 0) ImGui::SameLine();
    draw(i, ImVec2(w, height));
  }
  ImGui::PopStyleVar();
}

// The end labels of a scale: low under its first button, high under its last.
void scale_labels(const Ctx& c, const std::string& low, const std::string& high) {
  if (low.empty() && high.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text, c.pal.dim);
  const std::string left = c.vis(c.rtl ? high : low), right = c.vis(c.rtl ? low : high);
  const float y = ImGui::GetCursorPosY();
  ImGui::SetCursorPosX(c.x0);
  ImGui::TextUnformatted(left.c_str());
  ImGui::SetCursorPos(ImVec2(c.x0 + c.width - ImGui::CalcTextSize(right.c_str()).x, y));
  ImGui::TextUnformatted(right.c_str());
  ImGui::PopStyleColor();
}

void score_step(Ctx& c, const json& v) {
  const json& sc = v["score"];
  paragraph(c, str(sc, "question"), c.pal.text);
  ImGui::Spacing();
  const json& options = sc["options"];
  const bool colors = sc.value("category_colors", false);
  const json selected = sc.contains("selected") ? sc["selected"] : json(nullptr);
  const int count = static_cast<int>(options.size());
  button_row(c, count, ImGui::GetFontSize() * 2.0f, [&](int i, ImVec2 size) {
    const json& o = options[static_cast<std::size_t>(i)];
    const int value = o.value("value", i);
    const bool is_selected = selected.is_number() && selected.get<int>() == value;
    const int cat = category_index(str(o, "category"));
    ImU32 bg = c.pal.frame, hover = c.pal.frame_hover, fg = c.pal.text;
    if (colors) {
      bg = c.pal.category[cat];
      hover = shade(bg, 0.85f);
      fg = c.pal.on_category[cat];
    }
    if (is_selected) {
      bg = colors ? shade(c.pal.category[cat], 0.7f) : c.pal.accent;
      hover = bg;
      fg = colors ? readable_on(bg) : c.pal.on_accent;
    }
    const std::string id = "score" + std::to_string(value);
    if (colored_button(str(o, "label"), id.c_str(), size, bg, hover, fg))
      c.event = FlowEvent{EventType::choose_score, value};
    c.item(id);
    if (is_selected || (selected.is_null() && value == 0)) ImGui::SetItemDefaultFocus();
    tooltip(c, str(o, "aria_label"));
  });
  scale_labels(c, str(sc, "low_label"), str(sc, "high_label"));
}

void followup_step(Ctx& c, const json& v, ViewState& vs) {
  const json& f = v["followup"];
  paragraph(c, str(f, "question"), c.pal.text);
  ImGui::Spacing();
  if (text_input(c, "##followup", vs.text, str(f, "placeholder"), ImGui::GetFontSize() * 5.0f))
    c.event = FlowEvent{EventType::answer, vs.text};
  c.item("text");
}

void question_step(Ctx& c, const json& v, ViewState& vs) {
  const json& q = v["question"];
  const std::string type = str(q, "type");
  paragraph(c, str(q, "text"), c.pal.text);
  if (const std::string hint = str(q, "hint"); !hint.empty()) paragraph(c, hint, c.pal.dim);
  ImGui::Spacing();
  if (type == "text") {
    if (text_input(c, "##answer", vs.text, str(q, "placeholder"), ImGui::GetFontSize() * 4.0f))
      c.event = FlowEvent{EventType::answer, vs.text};
    c.item("text");
    return;
  }
  if (type == "single" || type == "multiple") {
    const bool multiple = type == "multiple";
    if (vs.choice.is_null() && multiple) vs.choice = json::array();
    for (const json& o : q["options"]) {
      const std::string id = str(o, "id");
      const std::string label = c.vis(str(o, "label")) + "##opt_" + id;
      bool on = multiple ? std::find(vs.choice.begin(), vs.choice.end(), json(id)) != vs.choice.end()
                         : vs.choice == json(id);
      ImGui::SetCursorPosX(c.x0);
      if (c.rtl) { // ImGui draws the box before the label; put the pair at the right edge
        const float w = ImGui::CalcTextSize(label.c_str(), nullptr, true).x + ImGui::GetFrameHeight() +
                        ImGui::GetStyle().ItemInnerSpacing.x;
        ImGui::SetCursorPosX(c.x0 + std::max(0.0f, c.width - w));
      }
      if (multiple) {
        if (ImGui::Checkbox(label.c_str(), &on)) {
          json next = json::array();
          for (const json& o2 : q["options"]) {
            const std::string id2 = str(o2, "id");
            const bool was = std::find(vs.choice.begin(), vs.choice.end(), json(id2)) != vs.choice.end();
            if (id2 == id ? on : was) next.push_back(id2);
          }
          vs.choice = std::move(next);
        }
      } else if (ImGui::RadioButton(label.c_str(), on)) {
        vs.choice = id;
      }
      c.item("option:" + id);
    }
    return;
  }
  if (type == "rating") {
    const int lo = q.value("min", 1), hi = q.value("max", 5);
    button_row(c, hi - lo + 1, ImGui::GetFontSize() * 2.0f, [&](int i, ImVec2 size) {
      const int value = lo + i;
      const bool on = vs.choice.is_number() && vs.choice.get<int>() == value;
      const std::string id = "rate" + std::to_string(value);
      if (colored_button(std::to_string(value), id.c_str(), size, on ? c.pal.accent : c.pal.frame,
                         on ? c.pal.accent : c.pal.frame_hover, on ? c.pal.on_accent : c.pal.text))
        vs.choice = value;
      c.item(id);
    });
    const json& low = q["low_label"];
    const json& high = q["high_label"];
    scale_labels(c, low.is_string() ? low.get<std::string>() : "",
                 high.is_string() ? high.get<std::string>() : "");
  }
}

void thanks_step(Ctx& c, const json& v) {
  const json& t = v["thanks"];
  ImGui::Spacing();
  paragraph(c, str(t, "text"), c.pal.text, true);
  const json& link = t["link"];
  if (link.is_object()) {
    ImGui::Spacing();
    const std::string label = c.vis(str(link, "label"));
    const float w = ImGui::CalcTextSize(label.c_str()).x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SetCursorPosX(c.x0 + std::max(0.0f, (c.width - w) * 0.5f));
    if (colored_button(label, "thanks_link", ImVec2(0, 0), c.pal.frame, c.pal.frame_hover, c.pal.accent))
      c.open_url = str(link, "url");
    c.item("link");
    tooltip(c, str(link, "url"));
  }
}

// The value an "answer" action sends on the current step.
json answer_value(const json& v, const ViewState& vs) {
  if (v.contains("followup")) return vs.text;
  const std::string type = str(v["question"], "type");
  if (type == "text") return vs.text;
  if (type == "multiple") return vs.choice.is_array() ? vs.choice : json::array();
  return vs.choice;
}

void actions_row(Ctx& c, const json& v, const ViewState& vs) {
  const json& actions = v["actions"];
  if (!actions.is_array() || actions.empty()) return;
  ImGui::Spacing();
  // Secondary actions at the start edge, the primary one at the end edge.
  std::vector<const json*> secondary, primary;
  for (const json& a : actions)
    (a.value("primary", false) ? primary : secondary).push_back(&a);
  const ImGuiStyle& st = ImGui::GetStyle();
  const auto width_of = [&](const json& a) {
    return ImGui::CalcTextSize(c.vis(str(a, "label")).c_str()).x + st.FramePadding.x * 4;
  };
  const auto press = [&](const json& a) {
    const std::string ev = str(a, "event");
    if (ev == "answer")
      c.event = FlowEvent{EventType::answer, answer_value(v, vs)};
    else if (ev == "skip")
      c.event = FlowEvent{EventType::skip, nullptr};
    else if (ev == "back")
      c.event = FlowEvent{EventType::back, nullptr};
    else if (ev == "dismiss")
      c.event = FlowEvent{EventType::dismiss, nullptr};
    else if (ev == "close")
      c.event = FlowEvent{EventType::close, nullptr};
  };
  const float h = ImGui::GetFrameHeight() * 1.2f;
  float x_start = c.rtl ? c.x0 + c.width : c.x0;
  const float y = ImGui::GetCursorPosY();
  for (const json* a : secondary) {
    const float w = width_of(*a);
    ImGui::SetCursorPos(ImVec2(c.rtl ? x_start - w : x_start, y));
    if (colored_button(c.vis(str(*a, "label")), str(*a, "action").c_str(), ImVec2(w, h), c.pal.frame,
                       c.pal.frame_hover, c.pal.text))
      press(*a);
    c.item("action:" + str(*a, "action"));
    x_start += c.rtl ? -(w + st.ItemSpacing.x) : w + st.ItemSpacing.x;
  }
  float x_end = c.rtl ? c.x0 : c.x0 + c.width;
  for (const json* a : primary) {
    const float w = std::max(width_of(*a), c.width * 0.3f);
    ImGui::SetCursorPos(ImVec2(c.rtl ? x_end : x_end - w, y));
    if (colored_button(c.vis(str(*a, "label")), str(*a, "action").c_str(), ImVec2(w, h), c.pal.accent,
                       c.pal.accent_hover, c.pal.on_accent))
      press(*a);
    c.item("action:" + str(*a, "action"));
    x_end += c.rtl ? w + st.ItemSpacing.x : -(w + st.ItemSpacing.x);
  }
}

// Progress on the start edge, the × close button on the end edge.
void header(Ctx& c, const json& v) {
  const float y = ImGui::GetCursorPosY();
  const json& progress = v["progress"];
  if (progress.is_object()) {
    ImGui::SetCursorPosX(c.x0);
    const std::string label = c.vis(str(progress, "label"));
    if (c.rtl) ImGui::SetCursorPosX(c.x0 + c.width - ImGui::CalcTextSize(label.c_str()).x);
    ImGui::PushStyleColor(ImGuiCol_Text, c.pal.dim);
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopStyleColor();
  }
  const json& close = v["close"];
  if (!close.is_object()) return;
  const float s = ImGui::GetFrameHeight();
  ImGui::SetCursorPos(ImVec2(c.rtl ? c.x0 : c.x0 + c.width - s, y));
  if (colored_button("\xC3\x97", "close", ImVec2(s, s), IM_COL32(0, 0, 0, 0), c.pal.frame_hover, c.pal.dim))
    c.event = FlowEvent{str(close, "event") == "dismiss" ? EventType::dismiss : EventType::close, nullptr};
  c.item("close");
  tooltip(c, str(close, "label"));
  ImGui::SetCursorPosY(y + s + ImGui::GetStyle().ItemSpacing.y * 0.5f);
}

void push_theme(const Palette& p) {
  ImGui::PushStyleColor(ImGuiCol_WindowBg, p.bg);
  ImGui::PushStyleColor(ImGuiCol_PopupBg, p.bg);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, IM_COL32(0, 0, 0, 0));
  ImGui::PushStyleColor(ImGuiCol_Text, p.text);
  ImGui::PushStyleColor(ImGuiCol_Border, p.border);
  ImGui::PushStyleColor(ImGuiCol_FrameBg, p.frame);
  ImGui::PushStyleColor(ImGuiCol_FrameBgHovered, p.frame_hover);
  ImGui::PushStyleColor(ImGuiCol_FrameBgActive, p.frame_hover);
  ImGui::PushStyleColor(ImGuiCol_CheckMark, p.accent);
  ImGui::PushStyleColor(ImGuiCol_NavHighlight, p.accent);
  ImGui::PushStyleColor(ImGuiCol_TextSelectedBg, (p.accent & 0x00FFFFFF) | 0x66000000);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 8.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 5.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(18, 14));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 1.0f);
}
void pop_theme() {
  ImGui::PopStyleVar(4);
  ImGui::PopStyleColor(11);
}

} // namespace

// ---- draw_survey ----------------------------------------------------------------------------

void forget(const char* id) { view_states().erase(ImGui::GetID(id)); }

Outcome draw_survey(const Survey& survey, FlowState& state, const Options& options) {
  Outcome out;
  if (state.step == Step::closed) return out;
  const json v = view(survey, state);
  const ImGuiID key = ImGui::GetID(options.id);
  ViewState& vs = view_states()[key];
  const std::string place = place_of(state);
  // Fresh input when the flow moved, or the widget was not drawn in the previous frame (the
  // host hid it, or this is another ImGui context).
  const int frame_no = ImGui::GetFrameCount();
  const bool continued = vs.context == ImGui::GetCurrentContext() && vs.frame >= frame_no - 1;
  if (vs.place != place || !continued) {
    vs = ViewState{};
    vs.place = place;
    if (v.contains("followup")) vs.text = str(v["followup"], "value");
    if (v.contains("question")) {
      const json& value = v["question"]["value"];
      if (value.is_string() && str(v["question"], "type") == "text")
        vs.text = value.get<std::string>();
      else
        vs.choice = value;
    }
  }

  vs.context = ImGui::GetCurrentContext();
  vs.frame = frame_no;

  Ctx c;
  c.options = &options;
  c.rtl = str(v, "dir") == "rtl";
  c.pal = palette(v["theme"], options.host_mode);
  const float scale = ImGui::GetIO().FontGlobalScale;
  c.width = options.width * (scale > 0 ? scale : 1.0f);

  if (options.apply_theme) push_theme(c.pal);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoCollapse |
                                 ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoMove;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  bool open = false;
  // The title ImGui shows nowhere (NoTitleBar) but uses as the window's identity.
  const std::string title = std::string(options.id);
  switch (options.presentation) {
  case Presentation::window: {
    const std::string pos = str(v["theme"], "position");
    ImVec2 at(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
        pivot(0.5f, 0.5f);
    if (pos == "bottom-right") {
      at = ImVec2(vp->WorkPos.x + vp->WorkSize.x - options.margin,
                  vp->WorkPos.y + vp->WorkSize.y - options.margin);
      pivot = ImVec2(1, 1);
    } else if (pos == "bottom-left") {
      at = ImVec2(vp->WorkPos.x + options.margin, vp->WorkPos.y + vp->WorkSize.y - options.margin);
      pivot = ImVec2(0, 1);
    }
    ImGui::SetNextWindowPos(at, ImGuiCond_Always, pivot);
    open = ImGui::Begin(title.c_str(), nullptr, flags);
    break;
  }
  case Presentation::modal:
    if (!ImGui::IsPopupOpen(title.c_str())) ImGui::OpenPopup(title.c_str());
    ImGui::SetNextWindowPos(
        ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
        ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    open = ImGui::BeginPopupModal(title.c_str(), nullptr, flags);
    break;
  case Presentation::inline_:
    ImGui::PushID(title.c_str());
    ImGui::BeginGroup();
    open = true;
    break;
  }

  if (open) {
    // Escape (or the gamepad's Cancel) closes, unless it is ending an edit in a text box.
    const bool focused = ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows);
    const bool editing = ImGui::IsAnyItemActive();
    c.x0 = ImGui::GetCursorPosX();
    header(c, v);
    const std::string step = str(v, "step");
    if (step == "score")
      score_step(c, v);
    else if (step == "followup")
      followup_step(c, v, vs);
    else if (step == "question")
      question_step(c, v, vs);
    else if (step == "thanks")
      thanks_step(c, v);
    if (!vs.error.empty()) paragraph(c, vs.error, c.pal.error);
    actions_row(c, v, vs);
    ImGui::Dummy(ImVec2(c.width, 1)); // the content width, whatever was drawn
    if (!c.event && focused && !editing && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) {
      const json& close = v["close"];
      if (close.is_object())
        c.event =
            FlowEvent{str(close, "event") == "dismiss" ? EventType::dismiss : EventType::close, nullptr};
    }
  }

  out.open_url = c.open_url;
  if (c.event) {
    out.event = c.event->type;
    auto t = apply(survey, state, *c.event);
    if (!t) {
      out.what = Happened::rejected;
      out.error = t.error().message;
      vs.error = out.error;
    } else {
      out.send = t->send;
      state = std::move(t).value().state;
      out.what = state.step != Step::closed ? Happened::applied
                 : state.dismissed          ? Happened::dismissed
                                            : Happened::closed;
      vs.error.clear();
    }
  }

  switch (options.presentation) {
  case Presentation::window: ImGui::End(); break;
  case Presentation::modal:
    if (open) {
      if (state.step == Step::closed) ImGui::CloseCurrentPopup();
      ImGui::EndPopup();
    }
    break;
  case Presentation::inline_:
    ImGui::EndGroup();
    ImGui::PopID();
    break;
  }
  if (options.apply_theme) pop_theme();
  if (state.step == Step::closed) view_states().erase(key);
  return out;
}

std::string visual_rtl_line(std::string_view logical) {
  return encode(reorder_rtl(shape_arabic(decode(logical))));
}

// ---- fonts ----------------------------------------------------------------------------------

FontFiles debian_noto_fonts() {
  FontFiles f;
  f.latin = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf";
  f.arabic = "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf";
  f.hebrew = "/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf";
  f.cjk = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
  f.cjk_index = 2;
  return f;
}

namespace {
constexpr ImWchar latin_ranges[] = {0x0020, 0x00FF, 0x0100, 0x024F, 0x0370, 0x03FF, 0x0400, 0x052F,
                                    0x2000, 0x206F, 0x20A0, 0x20CF, 0x2100, 0x214F, 0};
constexpr ImWchar cyrillic[] = {0x0400, 0x052F, 0x2000, 0x206F, 0};
constexpr ImWchar punctuation[] = {0x2000, 0x206F, 0};
constexpr ImWchar arabic_ranges[] = {0x0600, 0x06FF, 0xFE70, 0xFEFF, 0};
constexpr ImWchar hebrew_ranges[] = {0x0590, 0x05FF, 0};
constexpr ImWchar cjk_blocks[] = {0x3000, 0x30FF, 0xFF00, 0xFFEF, 0};

bool read_file(const std::string& path, std::string& out) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  std::fseek(f, 0, SEEK_END);
  const long n = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  const bool ok = n > 0 && std::fread(out.data(), 1, out.size(), f) == out.size();
  std::fclose(f);
  return ok;
}

// Glyph range arrays must live until the atlas is built; they are kept here for the
// program's lifetime (a few KB per load_fonts call).
const ImWchar* keep_ranges(ImVector<ImWchar>&& r) {
  static std::vector<std::unique_ptr<ImVector<ImWchar>>> kept;
  kept.push_back(std::make_unique<ImVector<ImWchar>>());
  kept.back()->swap(r);
  return kept.back()->Data;
}

const ImWchar* cjk_ranges(ImFontAtlas& atlas, const std::vector<std::string>& extra, Glyphs glyphs) {
  ImFontGlyphRangesBuilder b;
  b.AddRanges(cjk_blocks);
  for (const auto& locale : i18n::builtin_locales()) {
    if (locale != "zh-Hans" && locale != "ja") continue;
    for (int t = 0; t < i18n::text_count; ++t)
      b.AddText(std::string(i18n::builtin(locale, static_cast<i18n::Text>(t))).c_str());
  }
  for (const auto& s : extra)
    b.AddText(s.c_str());
  if (glyphs == Glyphs::common_cjk) {
    b.AddRanges(atlas.GetGlyphRangesChineseSimplifiedCommon());
    b.AddRanges(atlas.GetGlyphRangesJapanese());
  }
  ImVector<ImWchar> r;
  b.BuildRanges(&r);
  return keep_ranges(std::move(r));
}

// `source(kind)` returns the font bytes to add (owned by the caller) or a path to read.
template <class Add>
FontsLoaded load_with(ImFontAtlas& atlas, float size_px, int cjk_index, const std::vector<std::string>& extra,
                      Glyphs glyphs, Add add) {
  FontsLoaded out;
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  out.font = add("latin", cfg, latin_ranges);
  if (!out.font) {
    ImFontConfig def;
    def.SizePixels = size_px;
    out.font = atlas.AddFontDefault(&def);
  }
  ImFontConfig merge = cfg;
  merge.MergeMode = true;
  // Noto Sans Arabic draws small at the same pixel size as Latin: scale it up a quarter and
  // move it up so both share the baseline.
  ImFontConfig arabic = merge;
  arabic.SizePixels = size_px * 1.25f;
  arabic.GlyphOffset = ImVec2(0, -size_px * 0.2f);
  add("arabic", arabic, arabic_ranges);
  add("hebrew", merge, hebrew_ranges);
  ImFontConfig cjk = merge;
  cjk.FontNo = cjk_index;
  cjk.OversampleH = 1;
  cjk.PixelSnapH = true;
  add("cjk", cjk, cjk_ranges(atlas, extra, glyphs));
  ImGui::GetIO().FontDefault = out.font;
  return out;
}
} // namespace

const ImWchar* glyph_ranges_for(std::string_view locale) {
  const std::string l = i18n::negotiate({std::string(locale)}, i18n::builtin_locales(), "en");
  if (l == "ru") return cyrillic;
  if (l == "ar") return arabic_ranges;
  if (l == "he") return hebrew_ranges;
  if (l == "zh-Hans" || l == "ja") return cjk_blocks;
  return punctuation;
}

FontsLoaded load_fonts(ImFontAtlas& atlas, float size_px, const FontFiles& files,
                       const std::vector<std::string>& extra, Glyphs glyphs) {
  std::vector<std::string> missing;
  auto result =
      load_with(atlas, size_px, files.cjk_index, extra, glyphs,
                [&](std::string_view kind, const ImFontConfig& cfg, const ImWchar* ranges) -> ImFont* {
                  const std::string& path = kind == "latin"    ? files.latin
                                            : kind == "arabic" ? files.arabic
                                            : kind == "hebrew" ? files.hebrew
                                                               : files.cjk;
                  std::string bytes;
                  if (path.empty() || !read_file(path, bytes)) {
                    missing.push_back(path.empty() ? std::string(kind) : path);
                    return nullptr;
                  }
                  // The atlas owns a copy it frees with IM_FREE.
                  void* data = IM_ALLOC(bytes.size());
                  std::copy(bytes.begin(), bytes.end(), static_cast<char*>(data));
                  ImFontConfig c = cfg;
                  return atlas.AddFontFromMemoryTTF(data, static_cast<int>(bytes.size()),
                                                    c.SizePixels > 0 ? c.SizePixels : size_px, &c, ranges);
                });
  result.missing = std::move(missing);
  return result;
}

FontsLoaded load_fonts_from_memory(ImFontAtlas& atlas, float size_px, const FontData& data,
                                   const std::vector<std::string>& extra, Glyphs glyphs) {
  std::vector<std::string> missing;
  auto result = load_with(
      atlas, size_px, data.cjk_index, extra, glyphs,
      [&](std::string_view kind, const ImFontConfig& cfg, const ImWchar* ranges) -> ImFont* {
        const std::string_view bytes = kind == "latin"    ? data.latin
                                       : kind == "arabic" ? data.arabic
                                       : kind == "hebrew" ? data.hebrew
                                                          : data.cjk;
        if (bytes.empty()) {
          missing.emplace_back(kind);
          return nullptr;
        }
        ImFontConfig c = cfg;
        c.FontDataOwnedByAtlas = false;
        return atlas.AddFontFromMemoryTTF(const_cast<char*>(bytes.data()), static_cast<int>(bytes.size()),
                                          c.SizePixels > 0 ? c.SizePixels : size_px, &c, ranges);
      });
  result.missing = std::move(missing);
  return result;
}

std::vector<std::string> survey_texts(const Survey& s) {
  std::vector<std::string> out;
  const auto add = [&](const LocalizedText& t) {
    for (const auto& [locale, text] : t)
      out.push_back(text);
  };
  out.push_back(s.product);
  add(s.texts.question);
  add(s.texts.low_label);
  add(s.texts.high_label);
  for (const auto& f : s.categories) {
    add(f.followup);
    add(f.placeholder);
    add(f.thanks);
    if (f.thanks_link) add(f.thanks_link->label);
    for (const auto& q : f.questions) {
      add(q.text);
      add(q.placeholder);
      add(q.low_label);
      add(q.high_label);
      for (const auto& o : q.options)
        add(o.label);
    }
  }
  return out;
}

} // namespace nps::imgui
