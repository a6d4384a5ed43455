# arrimage_feature(NAME), called from src/features/NAME/CMakeLists.txt (docs/ARCHITECTURE.md,
# "Feature folders"). A feature folder holds:
#   domain/*.cpp   -> arrimage_NAME_domain: pure rules; links the kernel's domain only. The
#                     check below fails the configure if anything makes it link a store, the
#                     web or the HTTP layer.
#   store/*.cpp    -> arrimage_NAME_store: its repositories, on the kernel's guard and lifecycle
#                     engine; links arrimage_NAME_domain and arrimage_store.
#   web/*.cpp      -> added to arrimage_web, which links arrimage_NAME_store. Its templates
#                     (web/templates/*.mustache) and messages (web/messages/NAME.{fr,en}.json)
#                     are embedded with the web's own (src/web/CMakeLists.txt).
# Source files are listed by the feature, not globbed.
function(arrimage_feature name)
  cmake_parse_arguments(F "" "" "DOMAIN;STORE;WEB" ${ARGN})
  set(domain arrimage_${name}_domain)
  set(store arrimage_${name}_store)
  add_library(${domain} ${F_DOMAIN})
  target_link_libraries(${domain} PUBLIC arrimage_domain)
  add_library(${store} ${F_STORE})
  target_link_libraries(${store} PUBLIC ${domain} arrimage_store)
  list(TRANSFORM F_WEB PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  target_sources(arrimage_web PRIVATE ${F_WEB})
  target_link_libraries(arrimage_web PUBLIC ${store})
  # At the end of the configure, once every directory has added its links (the arguments of a
  # deferred call are expanded when it runs, hence EVAL to pass the name now).
  cmake_language(EVAL CODE
    "cmake_language(DEFER DIRECTORY \"${PROJECT_SOURCE_DIR}\" CALL _arrimage_check_feature_domain ${domain})")
endfunction()

# A feature's domain target may link only the kernel's domain and core (and what they link).
function(_arrimage_check_feature_domain target)
  get_target_property(direct ${target} LINK_LIBRARIES)
  get_target_property(iface ${target} INTERFACE_LINK_LIBRARIES)
  foreach(lib IN LISTS direct iface)
    if(lib MATCHES "arrimage_(store|web|http|interop|jobs|app_lib)$" OR lib MATCHES "arrimage_.*_store$")
      message(FATAL_ERROR "${target} links ${lib}: a feature's domain is pure rules and may link only arrimage_domain")
    endif()
  endforeach()
endfunction()
