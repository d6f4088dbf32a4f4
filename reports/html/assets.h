#pragma once

#include <string_view>

namespace litelint::reports::html {

/// The page skeleton, with the markers html_report.cc fills: the CSS, the JS and the data.
extern const std::string_view kTemplate;
/// reports/html/report.css, inlined in the page's <style>.
extern const std::string_view kCss;
/// reports/html/graph.js then report.js, inlined in the page's last <script>.
extern const std::string_view kJs;

}  // namespace litelint::reports::html
