# embed_prelude.cmake - turns app/lua/prelude.lua into a C header holding
# its bytes, so the engine loads the same text the file shows.
#   cmake -DIN=prelude.lua -DOUT=prelude_lua.h -P embed_prelude.cmake
# The header defines `static const char prelude[]`: the file's bytes and a
# closing NUL (so sizeof prelude - 1 is the file's length).
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# Sixteen bytes a line (CMake's regular expressions have no {n}).
string(REPEAT "0x..," 16 line)
string(REGEX REPLACE "(${line})" "\\1\n    " bytes "${bytes}")
file(WRITE "${OUT}.tmp"
     "/* Generated from app/lua/prelude.lua by embed_prelude.cmake: do not edit. */\n"
     "static const char prelude[] = {\n    ${bytes}0x00};\n")
# Only touch the header when the text changed, so nothing rebuilds needlessly.
configure_file("${OUT}.tmp" "${OUT}" COPYONLY)
file(REMOVE "${OUT}.tmp")
