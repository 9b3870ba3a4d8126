package dev.protevus.boot.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the pages in {@code docs/} say about the code, read against the sources of every
 * module of the repository: the {@code dev.protevus} names they give (types, their
 * members after {@code #}, packages, logger names) and their Java code samples.
 */
final class DocsSources {

	private static final Pattern NAME = Pattern
		.compile("\\bdev\\.protevus(?:\\.[a-z][a-z0-9_]*)+(?:\\.[A-Z][A-Za-z0-9_]*)*(?:#[a-zA-Z_][A-Za-z0-9_]*)?");

	private static final Pattern JAVA_SAMPLE = Pattern.compile("(?ms)^```java\\n(.*?)^```");

	private final Path root;

	private final List<Path> sourceRoots;

	private final Map<String, Path> typesBySimpleName;

	DocsSources(Path root) {
		this.root = root;
		try (Stream<Path> paths = Files.walk(root)) {
			this.sourceRoots = paths.filter(Files::isDirectory)
				.filter((path) -> path.endsWith(Path.of("src", "main", "java"))
						|| path.endsWith(Path.of("src", "boot3", "java")))
				.filter((path) -> !path.toString().contains("target"))
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.typesBySimpleName = Stream
			.of(root.resolve("protevus-core/src/main/java"),
					root.resolve("protevus-spring-boot-autoconfigure/src/main/java"),
					root.resolve("protevus-spring-boot-autoconfigure/src/boot3/java"),
					root.resolve("protevus-spring-boot-test/src/main/java"))
			.flatMap(DocsSources::javaFiles)
			.filter((file) -> !file.getFileName().toString().equals("package-info.java"))
			.collect(Collectors.toMap((file) -> file.getFileName().toString().replace(".java", ""), (file) -> file));
	}

	/**
	 * The pages, each with its text.
	 */
	Map<Path, String> pages() {
		try (Stream<Path> paths = Files.walk(this.root.resolve("docs"))) {
			return paths.filter((path) -> path.toString().endsWith(".md"))
				.collect(Collectors.toMap((path) -> path, DocsSources::read));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static List<String> names(String page) {
		List<String> names = new ArrayList<>();
		Matcher matcher = NAME.matcher(page);
		while (matcher.find()) {
			names.add(matcher.group());
		}
		return names;
	}

	static List<String> javaSamples(String page) {
		List<String> samples = new ArrayList<>();
		Matcher matcher = JAVA_SAMPLE.matcher(page);
		while (matcher.find()) {
			samples.add(matcher.group(1));
		}
		return samples;
	}

	/**
	 * Whether a name is a package, a type (possibly nested, possibly with a member after
	 * {@code #}) or a logger name of a module's main sources.
	 */
	boolean exists(String name) {
		String[] typeAndMember = name.split("#", 2);
		String[] parts = typeAndMember[0].split("\\.");
		for (Path sourceRoot : this.sourceRoots) {
			Path path = sourceRoot;
			for (int i = 0; i < parts.length; i++) {
				Path file = path.resolve(parts[i] + ".java");
				if (Files.isRegularFile(file)) {
					String source = read(file);
					for (int j = i + 1; j < parts.length; j++) {
						if (!Pattern.compile("\\b(class|record|enum|interface|@interface) " + parts[j] + "\\b")
							.matcher(source)
							.find()) {
							return false;
						}
					}
					return typeAndMember.length == 1
							|| Pattern.compile("\\b" + typeAndMember[1] + "\\b").matcher(source).find();
				}
				path = path.resolve(parts[i]);
			}
			if (typeAndMember.length == 1 && Files.isDirectory(path)) {
				return true;
			}
		}
		return typeAndMember.length == 1 && isLoggerName(typeAndMember[0]);
	}

	private boolean isLoggerName(String name) {
		return this.sourceRoots.stream()
			.flatMap(DocsSources::javaFiles)
			.anyMatch((file) -> read(file).contains("\"" + name + "\""));
	}

	/**
	 * The Protevus types that a sample names by their simple name without importing or
	 * declaring them.
	 */
	List<String> unimportedProtevusTypes(String sample) {
		return this.typesBySimpleName.keySet()
			.stream()
			.filter((simpleName) -> Pattern.compile("(?<![.\\w])" + simpleName + "\\b").matcher(sample).find())
			.filter((simpleName) -> !sample.contains("." + simpleName + ";"))
			.filter((simpleName) -> !Pattern.compile("\\b(class|record|enum|interface) " + simpleName + "\\b")
				.matcher(sample)
				.find())
			.sorted()
			.toList();
	}

	Optional<Path> sourceOf(String simpleName) {
		return Optional.ofNullable(this.typesBySimpleName.get(simpleName));
	}

	private static Stream<Path> javaFiles(Path sourceRoot) {
		try {
			return Files.walk(sourceRoot).filter((path) -> path.toString().endsWith(".java")).toList().stream();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
