console.log('launch: not yet');
