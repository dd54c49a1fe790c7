# Turn a file into a C string: awk -v name=NAME -f mk/embed.awk FILE
# (the console's style sheet is served from memory; no file to install).
BEGIN { printf "#include <stddef.h>\nconst char %s[] =\n", name }
{
	gsub(/\\/, "\\\\"); gsub(/"/, "\\\"")
	printf "\"%s\\n\"\n", $0
}
END { printf ";\nconst size_t %s_len = sizeof(%s) - 1;\n", name, name }
