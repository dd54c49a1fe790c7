# The Debian package (debian/, mk/deb.sh), built apart from the tree in
# build/deb/; `make clean` removes it with build/.
deb:
	@sh mk/deps.sh build deb
	@sh mk/deb.sh

.PHONY: deb
