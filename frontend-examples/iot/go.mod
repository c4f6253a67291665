module github.com/mosaichq/mosaic/frontend-examples/iot

go 1.26
