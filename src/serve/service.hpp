// rubric serve: the HTTP service (`rubric serve`, serve.cpp). Every endpoint is written out in
// openapi.json, which the service also serves; the page (page/) is a client of the same API.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>

#include <httplib.h>

#include "guard.hpp"
#include "rubric_store.hpp"

namespace rubric::serve {

struct service {
    serve_limits limits;
    std::string token;        // "" : none asked for (loopback only)
    std::string rubrics_dir;  // "" : no rubric files are served; else its canonical path
    rubric_store store{limits.max_rubrics};
    std::atomic<std::size_t> active{0};  // connections being served (counting_pool)
    std::atomic<std::size_t> printing{0};  // PDF reports being printed
};

// The routes of the API, the OpenAPI document and the page; the handlers that turn every
// refusal into a JSON body with a 4xx status.
void add_routes(httplib::Server& server, service& s);

// The files embedded at build time (embed_files.cmake): the page and openapi.json.
struct embedded_file {
    const char* name;  // "index.html", "app.js", "style.css", "openapi.json"
    const unsigned char* data;
    std::size_t size;
};
[[nodiscard]] const embedded_file* find_embedded(const std::string& name);

}  // namespace rubric::serve
