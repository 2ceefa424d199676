-- --trust lifts the sandbox
print(type(io.open), type(os.getenv), type(require), type(package), type(debug), ttlx.trusted)
