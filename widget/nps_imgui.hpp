// Dear ImGui view of the core's survey flow: one call inside the host's own ImGui frame.
//
//   nps::imgui::Outcome out = nps::imgui::draw_survey(survey, state, options);
//   if (out.send != nps::SendMode::none) client.send(state.response, out.send);
//
// The view draws nps::view(survey, state), turns clicks and keys into nps::FlowEvent,
// runs them through nps::apply and stores the new state in `state`. It holds no survey
// logic: which step comes next, what is required, what is sent all come from the core.
//
// Sections: options · outcome · draw · fonts · text (bidi)
//
// Implemented features:
//  [X] Every step of the flow: score (0–10), follow-up text, additional questions (text,
//      single choice, multiple choice, rating), thank-you text and link, back, skip,
//      dismiss ("Not now"), close (the × button and Escape).
//  [X] Presentation as a floating window placed by theme.position (bottom right/left,
//      centre), as a modal popup, or inline in the host's current window.
//  [X] Theme: accent colour for primary buttons and the selected score; category colours
//      (0–6 red, 7–8 yellow, 9–10 green) when theme.category_colors; light, dark, or the
//      host's preference for "automatic".
//  [X] Keyboard navigation (ImGuiConfigFlags_NavEnableKeyboard: arrows move, Space or
//      Enter chooses, Escape closes) and gamepad navigation (ImGuiConfigFlags_NavEnableGamepad
//      with a backend that fills io.NavInputs, e.g. imgui_impl_glfw).
//  [X] Right-to-left languages (Arabic, Hebrew): text is right-aligned, reordered to visual
//      order, Arabic letters are shaped to their joined forms (Presentation Forms-B),
//      the 0–10 scale and the action row run from right to left.
//  [X] Accessible names from the view (score "7 out of 10", "Close") as tooltips on mouse
//      hover and keyboard focus.
//  [X] Errors the core returns for an event (a required question) are drawn under the
//      question in the flow's language and returned in Outcome::error.
//  [ ] Full Unicode bidi (UAX #9) and OpenType shaping: ImGui 1.86 draws one glyph per code
//      point, left to right. Our reordering handles a right-to-left paragraph with embedded
//      left-to-right runs (digits, Latin words); nested embeddings and mirrored brackets
//      are not handled. Text the respondent types is edited in logical order, unshaped.
//  [ ] Combining marks (Arabic harakat, Hebrew niqqud) are drawn after their base letter,
//      not over it.
//  [ ] Input method editors (CJK composition) depend on the host platform backend.
//  [ ] No accessibility API (screen readers, view()'s "announcement"): ImGui has none.
//  [ ] Text questions and the follow-up use InputTextMultiline, which has no placeholder in
//      ImGui 1.86: the widget draws the placeholder over the empty box itself.
//
// Fonts: ImGui's default font covers Latin-1 only. Call load_fonts() (or add the glyph
// ranges listed by glyph_ranges_for() to your own fonts) before the first frame, or Russian,
// Chinese, Japanese, Arabic and Hebrew texts show as '?'.
#pragma once

#include "nps/flow.hpp"
#include "nps/survey.hpp"

#include <imgui.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nps::imgui {

// ---- options -------------------------------------------------------------------------------

enum class Presentation {
  window, // a floating window, placed by the survey's theme.position in the main viewport
  modal,  // a modal popup centred in the main viewport (blocks the host's UI)
  inline_ // drawn into the host's current window, at the cursor
};

enum class HostMode { light, dark }; // the host app's look, for theme.mode "auto"

struct Options {
  const char* id = "nps_survey"; // ImGui id of the window/popup/child; unique per survey shown
  Presentation presentation = Presentation::window;
  float width = 480.0f;                 // content width in pixels (at io.FontGlobalScale 1)
  float margin = 16.0f;                 // distance from the viewport edge for window presentation
  HostMode host_mode = HostMode::light; // what theme.mode "auto" follows
  bool apply_theme = true;              // false: keep the host's ImGui style colours
  // Called for every interactive item drawn, with a stable name ("score7", "close",
  // "action:submit", "option:price", "rate3", "text", "link") and its screen rectangle:
  // for UI automation and the headless tests.
  std::function<void(std::string_view name, ImVec2 min, ImVec2 max)> on_item;
};

// ---- outcome -------------------------------------------------------------------------------

enum class Happened {
  nothing,   // no event this frame
  applied,   // an event moved the flow; `send` says what to send
  closed,    // the flow closed after a score (the answer stands; `send` may still be update)
  dismissed, // the flow closed without a score (declined)
  rejected   // the core refused the event (e.g. a required question): `error` says why
};

struct Outcome {
  Happened what = Happened::nothing;
  std::optional<EventType> event; // the event applied or rejected
  SendMode send = SendMode::none; // create: POST state.response; update: PATCH it
  std::string error;              // for rejected: a sentence in the flow's language
  std::string open_url;           // the thank-you link was chosen: the host opens it
};

// ---- draw ----------------------------------------------------------------------------------

// Draws the survey inside the current ImGui frame (between ImGui::NewFrame and
// ImGui::Render) and applies at most one event. Draws nothing once state.step is closed.
// Widget-local input (text being typed, a choice not yet submitted, the last error) is kept
// per Options::id until the flow moves on; forget() drops it.
Outcome draw_survey(const Survey& survey, FlowState& state, const Options& options = {});
void forget(const char* id);

// ---- fonts ---------------------------------------------------------------------------------
//
// Glyphs each built-in language needs (on top of ImGui's default Basic Latin + Latin-1):
//   en es pt de fr  Latin-1 (default) + General Punctuation (’ “ ” …) U+2000–206F
//   ru              + Cyrillic U+0400–052F
//   zh-Hans         + CJK: the ideographs of the texts (CJK Unified U+4E00–9FFF), CJK
//                     punctuation U+3000–303F, fullwidth forms U+FF00–FFEF
//   ja              + the same CJK blocks + Hiragana/Katakana U+3040–30FF
//   ar              + Arabic U+0600–06FF and Arabic Presentation Forms-B U+FE70–FEFF (the
//                     view shapes Arabic into these)
//   he              + Hebrew U+0590–05FF
// A full CJK range is thousands of glyphs; by default load_fonts() adds exactly the
// ideographs of the built-in texts and of the survey's own texts (ImFontGlyphRangesBuilder),
// plus ImGui's "common" Chinese/Japanese sets when Glyphs::common_cjk is asked for, so
// respondents can type.

struct FontFiles {
  std::string latin; // Latin, Greek, Cyrillic
  std::string arabic;
  std::string hebrew;
  std::string cjk;   // may be a .ttc collection
  int cjk_index = 0; // face in the collection (Noto Sans CJK: 0 = JP, 2 = SC)
};

// Debian's Noto fonts (packages fonts-noto-core and fonts-noto-cjk):
//   /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf
//   /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf
//   /usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf
//   /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc (face 2, Simplified Chinese)
FontFiles debian_noto_fonts();

enum class Glyphs { texts, common_cjk };

// The ranges (0-terminated pairs) a locale needs beyond Latin-1, as listed above; CJK
// ideographs are not included (see load_fonts).
const ImWchar* glyph_ranges_for(std::string_view locale);

struct FontsLoaded {
  ImFont* font = nullptr;           // the merged font; also made io.FontDefault
  std::vector<std::string> missing; // files that could not be read (their scripts show '?')
};

// Adds one merged font to `atlas`: latin first, then Arabic, Hebrew and CJK merged into it,
// with the ranges every built-in language needs and the code points of `extra_texts` (pass
// the survey's own texts, e.g. from survey_texts()). Call before the atlas is built.
FontsLoaded load_fonts(ImFontAtlas& atlas, float size_px, const FontFiles& files,
                       const std::vector<std::string>& extra_texts = {}, Glyphs glyphs = Glyphs::texts);
// Same, from font files already in memory (e.g. fetched by a Wasm page). The atlas copies
// nothing: the buffers must outlive the atlas build (ImGui does not take ownership here).
struct FontData {
  std::string_view latin, arabic, hebrew, cjk;
  int cjk_index = 0;
};
FontsLoaded load_fonts_from_memory(ImFontAtlas& atlas, float size_px, const FontData& data,
                                   const std::vector<std::string>& extra_texts = {},
                                   Glyphs glyphs = Glyphs::texts);

// Every text of the survey, in every language it has, for glyph ranges.
std::vector<std::string> survey_texts(const Survey& survey);

// ---- text (bidi) ---------------------------------------------------------------------------

// One line of logical-order UTF-8 in the visual order ImGui draws (left to right): Arabic
// shaped to presentation forms, right-to-left runs reversed, left-to-right runs (Latin,
// digits) kept in order and placed as a right-to-left paragraph places them. Exposed for tests.
std::string visual_rtl_line(std::string_view logical);

} // namespace nps::imgui
