# arrimage_embed(TARGET NAMESPACE BASE_DIR FILES...)
# Generates a source file holding each file's text as a string_view keyed by its path relative
# to BASE_DIR (by its file name alone when BASE_DIR is ""), so migrations, templates and
# messages ship inside the binary.
function(arrimage_embed target ns base_dir)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${ns}_embedded.cpp")
  string(REPLACE ";" "|" file_list "${ARGN}")
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ns} "-DBASE=${base_dir}" "-DFILES=${file_list}"
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    DEPENDS ${ARGN} ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    COMMENT "Embedding ${ns} resources"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
