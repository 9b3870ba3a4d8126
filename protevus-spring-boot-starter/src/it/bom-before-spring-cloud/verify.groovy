// Every resilience4j artifact the starter brings resolves to 2.4.0, none to Spring Cloud's 2.2.0.
def listing = new File(basedir, 'target/dependencies.txt')
assert listing.isFile() : "dependency:list wrote no ${listing}"
def resilience4j = listing.readLines()
	.collect { it.trim() }
	.findAll { it.startsWith('io.github.resilience4j:') }
println "Resolved resilience4j artifacts:\n  " + resilience4j.join('\n  ')
assert resilience4j.any { it.startsWith('io.github.resilience4j:resilience4j-spring-boot3:jar:2.4.0') }
assert resilience4j.any { it.startsWith('io.github.resilience4j:resilience4j-reactor:jar:2.4.0') }
assert resilience4j.any { it.startsWith('io.github.resilience4j:resilience4j-circuitbreaker:jar:2.4.0') }
def others = resilience4j.findAll { !it.contains(':jar:2.4.0') }
assert others.isEmpty() : "resilience4j not at 2.4.0: ${others}"
assert !listing.text.contains(':2.2.0') : 'a 2.2.0 artifact was resolved'
return true
