console.log('serve: not yet');
